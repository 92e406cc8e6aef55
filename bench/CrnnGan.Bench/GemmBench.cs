using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace CrnnGan.Bench;

/// <summary>
/// fp32 matrix products through libtorch (its MKL) at the sizes an adversarial iteration uses and at 2048^3 (the
/// bound's), on the threads given; prints GFLOP/s per shape (best of the repetitions) and what MKL detected of the CPU.
/// The last line, <c>RESULT ... gemm_gflops=</c> (the 2048^3 rate), is for bench/run-peers.sh.
/// </summary>
public static class GemmBench
{
    /// <summary>(M, K, N, what uses it): M x K times K x N.</summary>
    private static readonly (int M, int K, int N, string Use)[] Shapes =
    [
        (2048, 2048, 2048, "the bound's square product"),
        (20, 350, 1400, "G's LSTM step, batch 20 (forward)"),
        (20, 1400, 700, "G's tape step backward, [W_ih|W_hh]"),
        (2000, 350, 1400, "an LSTM input projection over 100 steps x 20 songs"),
        (1400, 2000, 350, "a weight gradient over 2000 rows"),
        (40, 350, 1400, "D's LSTM step, batch 40"),
    ];

    public static int Run(int threads, int seconds)
    {
        CrnnGan.Runtime.TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        Console.WriteLine($"threads {torch.get_num_threads()}; {CrnnGan.Runtime.MklDispatch.Describe()}");
        double square = 0;
        foreach (var (m, k, n, use) in Shapes)
        {
            double gflops = Rate(m, k, n, seconds / (double)Shapes.Length);
            if (m == 2048) square = gflops;
            Console.WriteLine(FormattableString.Invariant($"{m,5} x {k,5} x {n,5}  {gflops,7:F1} GFLOP/s  {use}"));
        }
        Console.WriteLine(CrnnGan.Runtime.MklDispatch.Describe());
        Console.WriteLine(FormattableString.Invariant($"RESULT threads={torch.get_num_threads()} gemm_gflops={square:F1} mkl_avx512={(CrnnGan.Runtime.MklDispatch.Applied ? 1 : 0)}"));
        return 0;
    }

    /// <summary>The best GFLOP/s of <c>torch.mm</c> of (m x k) by (k x n) over about <paramref name="seconds"/>.</summary>
    public static double Rate(int m, int k, int n, double seconds)
    {
        using var a = torch.randn(m, k);
        using var b = torch.randn(k, n);
        for (int i = 0; i < 3; i++) torch.mm(a, b).Dispose();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        int runs = 0;
        while (runs < 5 || (total.Elapsed.TotalSeconds < seconds && runs < 100000))
        {
            var clock = Stopwatch.StartNew();
            torch.mm(a, b).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            runs++;
        }
        return 2.0 * m * k * n / best / 1e9;
    }
}
