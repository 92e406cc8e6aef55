using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training;

/// <summary>
/// One long-lived thread for tensor work that runs beside the caller's, each with its own share of the cores.
/// libtorch's thread count (OpenMP's and MKL's) is per calling thread, so two independent passes that scale poorly
/// with threads, such as the backward passes of G's and D's updates (sequential steps of small products), run faster
/// side by side on one core each than one after the other on both. The thread is kept for the trainer's life because
/// MKL and oneDNN keep per-thread state that a fresh thread per call would allocate again.
/// </summary>
public sealed class SideThread : IDisposable
{
    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> _queue = new();
    private readonly Thread _thread;

    public SideThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>
    /// Runs <paramref name="side"/> on this thread with <paramref name="sideThreads"/> intra-op threads and
    /// <paramref name="own"/> on the caller's with <paramref name="ownThreads"/>, waits for both, and puts the caller's
    /// thread count back. Each runs in a dispose scope of its own thread. An exception of either is thrown after both
    /// have finished (the caller's first), so neither is left using tensors the caller is about to dispose.
    /// </summary>
    public void RunBeside(Action own, int ownThreads, Action side, int sideThreads)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((() =>
        {
            torch.set_num_threads(sideThreads);
            using var scope = NewDisposeScope();
            side();
        }, done));
        int threadsBefore = torch.get_num_threads();
        Exception? ownFailure = null;
        try
        {
            torch.set_num_threads(ownThreads);
            own();
        }
        catch (Exception e)
        {
            ownFailure = e;
        }
        ((IAsyncResult)done.Task).AsyncWaitHandle.WaitOne();
        torch.set_num_threads(threadsBefore);
        if (ownFailure is not null) ExceptionDispatchInfo.Throw(ownFailure);
        if (done.Task.Exception is { } sideFailure) ExceptionDispatchInfo.Throw(sideFailure.InnerException ?? sideFailure);
    }

    private void Loop()
    {
        foreach (var (work, done) in _queue.GetConsumingEnumerable())
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
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }
}
