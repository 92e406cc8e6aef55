using System.Diagnostics;
using CrnnGan.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Bench;

/// <summary>
/// D's LSTM at the paper's size (4 inputs, hidden 350, 2 layers, bidirectional, batch 20, length 100): libtorch's
/// nn.LSTM against <see cref="FusedLstm"/>, forward alone, forward + backward with the weights' gradients (D's own
/// update) and with the input's alone (G's loss through a frozen D). Medians in ms.
/// </summary>
public static class FusedLstmBench
{
    public static int Run(int iterations, int threads)
    {
        CrnnGan.Runtime.TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        using var lstm = nn.LSTM(4, 350, 2, batchFirst: true, bidirectional: true);
        var weights = lstm.parameters().ToArray<Tensor>();
        var frozen = weights.Select(w => w.detach()).ToArray();
        using var input = randn(20, 100, 4);
        using var upstream = randn(20, 100, 700);
        Console.WriteLine($"threads {threads}; {CrnnGan.Runtime.MklDispatch.Describe()}; oneDNN {(CrnnGan.Runtime.OneDnn.Enabled ? "on" : "off")}; median of {iterations}");
        Report("forward, no autograd", iterations,
            () => { using var g = no_grad(); lstm.call(input, null).Item1.Dispose(); },
            () => { using var g = no_grad(); FusedLstm.Run(input, weights, 2, [null]).Dispose(); });
        Report("forward + backward, weights' gradients", iterations,
            () => { using var s = NewDisposeScope(); (lstm.call(input, null).Item1 * upstream).sum().backward(); lstm.zero_grad(); },
            () => { using var s = NewDisposeScope(); (FusedLstm.Run(input, weights, 2, [null]) * upstream).sum().backward(); lstm.zero_grad(); });
        Report("forward + backward, input's gradient only", iterations,
            () =>
            {
                using var s = NewDisposeScope();
                foreach (var p in lstm.parameters()) p.requires_grad = false;
                var x = input.clone().requires_grad_(true);
                (lstm.call(x, null).Item1 * upstream).sum().backward();
                foreach (var p in lstm.parameters()) p.requires_grad = true;
            },
            () =>
            {
                using var s = NewDisposeScope();
                var x = input.clone().requires_grad_(true);
                (FusedLstm.Run(x, frozen, 2, [null]) * upstream).sum().backward();
            });
        return 0;
    }

    private static void Report(string name, int iterations, Action libtorch, Action fused)
    {
        libtorch();
        fused();
        var a = new List<double>();
        var b = new List<double>();
        for (int i = 0; i < iterations; i++)
        {
            a.Add(Time(libtorch));
            b.Add(Time(fused));
        }
        double ma = a.Order().ElementAt(a.Count / 2), mb = b.Order().ElementAt(b.Count / 2);
        Console.WriteLine($"{name,-44} nn.LSTM {ma,7:F1} ms   FusedLstm {mb,7:F1} ms   {ma / mb:F2}x");
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }
}

/// <summary>The pieces of one LSTM step at D's size, 400 times each: the recurrent product in the NN form (weights
/// transposed once) and the TN form, LstmKernels forward and backward, TensorPrimitives' sigmoid, tanh and exp. Three
/// rounds: the first shows the JIT's slow tiers.</summary>
public static unsafe class FusedLstmMicro
{
    public static int Run(int threads)
    {
        CrnnGan.Runtime.TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        using var w = randn(1400, 350);
        using var wt = w.t().contiguous();
        using var h = randn(20, 350);
        using var gates = randn(100, 20, 1400);
        for (int round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            for (int t = 0; t < 400; t++) { using var g = gates[t % 100]; g.addmm_(h, wt); }
            double nn = clock.Elapsed.TotalMilliseconds; clock.Restart();
            for (int t = 0; t < 400; t++) { using var g = gates[t % 100]; g.addmm_(h, w.t()); }
            double tn = clock.Elapsed.TotalMilliseconds; clock.Restart();
            using var c = zeros(100, 20, 350); using var tc = zeros(100, 20, 350); using var o = zeros(100, 20, 350);
            using var storage = gates.storage<float>(); float* gp = (float*)storage.data_ptr();
            using var cs = c.storage<float>(); float* cp = (float*)cs.data_ptr();
            using var ts = tc.storage<float>(); float* tp = (float*)ts.data_ptr();
            using var os = o.storage<float>(); float* op = (float*)os.data_ptr();
            gates.uniform_(-1, 1);
            clock.Restart();
            for (int t = 0; t < 400; t++) { int s = t % 100; LstmKernels.Forward(gp + s * 20 * 1400, s > 0 ? cp + (s - 1) * 7000 : null, cp + s * 7000, tp + s * 7000, op + s * 7000, 350, 20, 350); }
            double kernel = clock.Elapsed.TotalMilliseconds; clock.Restart();
            for (int t = 0; t < 400; t++) { int s = t % 100; LstmKernels.Backward(gp + s * 20 * 1400, s > 0 ? cp + (s - 1) * 7000 : null, tp + s * 7000, op + s * 7000, 350, s < 99 ? op : null, cp, gp + ((s + 1) % 100) * 28000, 20, 350); }
            double back = clock.Elapsed.TotalMilliseconds;
            var random = new Random(1);
            var buffer = new float[28000];
            for (int i = 0; i < buffer.Length; i++) buffer[i] = random.NextSingle() * 4 - 2;
            var dest = new float[28000];
            clock.Restart();
            for (int t = 0; t < 400; t++) System.Numerics.Tensors.TensorPrimitives.Sigmoid(buffer, dest);
            double sig = clock.Elapsed.TotalMilliseconds; clock.Restart();
            for (int t = 0; t < 400; t++) System.Numerics.Tensors.TensorPrimitives.Tanh(buffer, dest);
            double tanh = clock.Elapsed.TotalMilliseconds; clock.Restart();
            for (int t = 0; t < 400; t++) System.Numerics.Tensors.TensorPrimitives.Exp(buffer, dest);
            double exp = clock.Elapsed.TotalMilliseconds;
            Console.WriteLine($"400 x 28000 floats: Sigmoid {sig:F1} ms, Tanh {tanh:F1} ms, Exp {exp:F1} ms; Vector<float> {System.Numerics.Vector<float>.Count}, V512 accelerated {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}; {typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.GetName().Version}");
            Console.WriteLine($"400 recurrent products: NN {nn:F1} ms, TN {tn:F1} ms; 400 forward kernels {kernel:F1} ms; 400 backward kernels {back:F1} ms");
        }
        return 0;
    }
}

/// <summary>Resident memory over many D-sized passes (forward + backward, no dispose scope, as on the trainer's
/// side thread): whether FusedLstm's passes give their memory back without waiting for the garbage collector.</summary>
public static class FusedLstmMemory
{
    public static int Run(int passes, bool fused)
    {
        CrnnGan.Runtime.TorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        using var lstm = nn.LSTM(4, 350, 2, batchFirst: true, bidirectional: true);
        var weights = lstm.parameters().ToArray<Tensor>();
        using var input = randn(20, 100, 4);
        Task.Run(() =>
        {
            for (int i = 1; i <= passes; i++)
            {
                using var scope = NewDisposeScope();
                var output = fused ? FusedLstm.Run(input, weights, 2, [null]) : lstm.call(input, null).Item1;
                output.mean().backward();
                lstm.zero_grad();
                if (i % 20 == 0)
                    Console.WriteLine($"{(fused ? "FusedLstm" : "nn.LSTM")} pass {i}: resident {Environment.WorkingSet / (1024 * 1024)} MiB, GCs {GC.CollectionCount(0)}/{GC.CollectionCount(2)}");
            }
        }).Wait();
        return 0;
    }
}
