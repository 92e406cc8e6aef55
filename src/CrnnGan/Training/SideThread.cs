using System.Collections.Concurrent;
using TorchSharp;

namespace CrnnGan.Training;

/// <summary>
/// A second thread for tensor work that can run beside the trainer's own, e.g. D's backward pass beside G's.
/// libtorch keeps its thread count per calling thread (OpenMP and MKL settings), so the two sides split the cores
/// between them instead of each spreading over all of them and oversubscribing the machine.
/// </summary>
internal sealed class SideThread : IDisposable
{
    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> _queue = new();
    private readonly Thread _thread;

    public SideThread(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _thread = new Thread(() =>
        {
            torch.set_num_threads(threads);
            foreach (var (work, done) in _queue.GetConsumingEnumerable())
            {
                try
                {
                    using var scope = torch.NewDisposeScope();
                    work();
                    done.SetResult();
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            }
        }) { IsBackground = true, Name = "crnngan side thread" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="work"/>; wait on the task (GetAwaiter().GetResult() rethrows its exception as it was).</summary>
    public Task Run(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((work, done));
        return done.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }
}
