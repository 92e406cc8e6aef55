using System.Diagnostics;
using CrnnGan.Training;
using TorchSharp;

namespace CrnnGan.Bench;

/// <summary>
/// Adversarial iterations at the paper's size and nothing else, between marker lines, for bench/profile-step.sh to read
/// MKL's and oneDNN's verbose logs of (MKL_VERBOSE=1, ONEDNN_VERBOSE=1): a warm-up step, then
/// <c>=== measured N steps</c>, the steps, and <c>=== end W ms wall, C ms CPU</c> with their wall and CPU time.
/// </summary>
public static class StepTraceBench
{
    public static int Run(int iterations, int threads)
    {
        var config = TrainStepBench.PaperConfig(threads);
        string folder = Path.Combine(Path.GetTempPath(), "crnngan-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var (trainer, _, batch) = TrainStepBench.Start(config, folder);
            using (trainer)
            using (batch)
            {
                trainer.Step(batch, TrainingPhase.Adversarial);
                Console.Out.Flush();
                Console.WriteLine($"=== measured {iterations} steps, threads {torch.get_num_threads()}; {CrnnGan.Runtime.MklDispatch.Describe()}; oneDNN {(CrnnGan.Runtime.OneDnn.Enabled ? "on" : "off")}");
                Console.Out.Flush();
                var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < iterations; i++) trainer.Step(batch, TrainingPhase.Adversarial);
                double ms = clock.Elapsed.TotalMilliseconds;
                process.Refresh();
                double cpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
                Console.Out.Flush();
                // CPU time moves less with the machine's load than wall time does (waiting for a core costs none).
                Console.WriteLine(FormattableString.Invariant($"=== end {ms:F1} ms wall, {cpuMs:F1} ms CPU"));
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        return 0;
    }
}
