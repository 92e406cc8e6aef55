using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// The large float buffers of <see cref="FusedLstm"/>'s passes, given back after each pass and lent again to the next
/// pass that asks for the same shape. Taken fresh from the allocator each time, buffers of 3-11 MB living from D's
/// forward pass to its backward pass, interleaved with libtorch's own allocations, left ever more free but unusable
/// memory in glibc's heap: a whole run's resident memory grew by about 30 MB per adversarial step (bench/README.md).
/// </summary>
internal static class LstmBuffers
{
    private static readonly Dictionary<string, Stack<Tensor>> Free = [];
    private static long _pooledElements;

    /// <summary>Elements kept at most (384 MiB of float32): about four D passes at the paper's size.</summary>
    private const long Limit = 96L << 20;

    /// <summary>A contiguous float32 tensor of this shape on the CPU, contents undefined, outside every dispose scope;
    /// give it back with <see cref="Return"/>.</summary>
    public static Tensor Rent(params long[] shape)
    {
        string key = string.Join(",", shape);
        lock (Free)
        {
            if (Free.TryGetValue(key, out var stack) && stack.Count > 0)
            {
                var buffer = stack.Pop();
                _pooledElements -= buffer.NumberOfElements;
                return buffer;
            }
        }
        return empty(shape).DetachFromDisposeScope();
    }

    /// <summary>Takes back a buffer of <see cref="Rent"/>; when the pool is full, buffers of other shapes (a length
    /// no longer trained at) go first, then this one.</summary>
    public static void Return(Tensor buffer)
    {
        string key = string.Join(",", buffer.shape);
        long size = buffer.NumberOfElements;
        lock (Free)
        {
            if (_pooledElements + size > Limit)
                foreach (var (otherKey, stack) in Free.Where(kv => kv.Key != key))
                    while (stack.TryPop(out var stale))
                    {
                        _pooledElements -= stale.NumberOfElements;
                        stale.Dispose();
                    }
            if (_pooledElements + size > Limit)
            {
                buffer.Dispose();
                return;
            }
            if (!Free.TryGetValue(key, out var same)) Free[key] = same = new Stack<Tensor>();
            same.Push(buffer);
            _pooledElements += size;
        }
    }
}
