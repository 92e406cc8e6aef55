using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training;

/// <summary>
/// One long-lived thread for tensor work beside the caller's, each with its own share of the cores. libtorch's thread
/// count (OpenMP's and MKL's) is per calling thread, so independent passes that scale poorly with threads (LSTM steps
/// at batch 20-40 are products too small to keep two cores busy) run faster side by side on one core each than one
/// after the other on both. The thread is kept for the trainer's life because MKL and oneDNN keep per-thread state that
/// a fresh thread per call would build again.
/// </summary>
public sealed class SideThread : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread _thread;

    public SideThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>
    /// Starts a session: until it is disposed, the caller's thread has <paramref name="ownThreads"/> intra-op threads
    /// and work started with <see cref="SideSession.Start"/> runs here, in order, with <paramref name="sideThreads"/>,
    /// its tensors in one dispose scope of this thread that lives until the session ends (so the caller may use them).
    /// </summary>
    public SideSession Session(int ownThreads, int sideThreads) => new(this, ownThreads, sideThreads);

    internal Task Enqueue(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    private void Loop()
    {
        foreach (var work in _queue.GetConsumingEnumerable()) work();
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }
}

/// <summary>
/// Work beside the caller's thread (see <see cref="SideThread.Session"/>), or, without a side thread, on the caller's
/// own thread at once: the same code runs either way, and draws its random numbers in the same order as long as only
/// one side draws at a time.
/// </summary>
public sealed class SideSession : IDisposable
{
    private readonly SideThread? _side;
    private readonly int _threadsBefore;
    private readonly List<Task> _started = [];
    private DisposeScope? _sideScope;

    /// <summary>No side thread: <see cref="Start"/> runs its work on the caller's thread before it returns.</summary>
    public static SideSession Inline() => new(null, 0, 0);

    internal SideSession(SideThread? side, int ownThreads, int sideThreads)
    {
        _side = side;
        _threadsBefore = torch.get_num_threads();
        if (side is null) return;
        torch.set_num_threads(ownThreads);
        _started.Add(side.Enqueue(() =>
        {
            torch.set_num_threads(sideThreads);
            _sideScope = NewDisposeScope();
        }));
    }

    /// <summary>Runs <paramref name="work"/> beside the caller (after the session's earlier work); wait for it with <see cref="Wait"/>.</summary>
    public Task Start(Action work)
    {
        if (_side is not null)
        {
            var task = _side.Enqueue(work);
            _started.Add(task);
            return task;
        }
        try
        {
            work();
            return Task.CompletedTask;
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    /// <summary>Waits for <paramref name="task"/> and throws its exception, if any, as it was thrown.</summary>
    public static void Wait(Task task)
    {
        ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        if (task.Exception is { } failure) ExceptionDispatchInfo.Throw(failure.InnerException ?? failure);
    }

    /// <summary>Waits for all work started (its failures are the caller's to have waited for), then ends the side's
    /// dispose scope and gives the caller its thread count back.</summary>
    public void Dispose()
    {
        if (_side is null) return;
        foreach (var task in _started) ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        var close = _side.Enqueue(() => _sideScope?.Dispose());
        ((IAsyncResult)close).AsyncWaitHandle.WaitOne();
        torch.set_num_threads(_threadsBefore);
    }
}
