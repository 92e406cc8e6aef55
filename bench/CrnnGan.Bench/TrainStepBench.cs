using System.Diagnostics;
using CrnnGan.Data;
using CrnnGan.Training;
using TorchSharp;

namespace CrnnGan.Bench;

/// <summary>
/// Adversarial-iteration throughput at the paper's configuration (batch 20, length 100, hidden 350,
/// bidirectional D, feature matching): one D step + one G step per iteration, freezing off so both always run.
/// Also times a pretraining (teacher-forced MSE) step and sampling 100 songs of 100 events (median of 3).
/// The last line, <c>RESULT key=value ...</c>, is for bench/run-peers.sh; the peer is bench/peers/crnngan_torch.py.
/// </summary>
public static class TrainStepBench
{
    public static int Run(int iterations, int? threads)
    {
        var config = PaperConfig(threads);
        string folder = Path.Combine(Path.GetTempPath(), "crnngan-bench", Guid.NewGuid().ToString("N"));
        try
        {
            return Run(config, iterations, folder);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); // after the trainer let go of it
        }
    }

    /// <summary>The paper's configuration as <see cref="Run(int, int?)"/> times it.</summary>
    public static TrainingConfig PaperConfig(int? threads) => new()
    {
        Model = new ModelSettings { Hidden = 350, Layers = 2 },
        Optimisation = new OptimisationSettings { Batch = 20, Freezing = false },
        Losses = new LossSettings { FeatureMatching = true },
        Data = new DataSettings { Length = 100 },
        Run = new RunSettings { CurriculumStep = 0, Threads = threads ?? Environment.ProcessorCount, Seed = 1 },
    };

    /// <summary>A trainer on a synthetic corpus in <paramref name="folder"/>, and a batch of the paper's size.</summary>
    public static (GanTrainer Trainer, TrainingData Data, torch.Tensor Batch) Start(TrainingConfig config, string folder)
    {
        var songs = SyntheticCorpus.Generate(40, seed: 1);
        var data = TrainingData.FromSongs("synthetic", songs, [], config.TonesPerCell, minEvents: 1);
        var trainer = GanTrainer.Start(config, data, folder);
        return (trainer, data, torch.randn(config.Optimisation.Batch, config.Length, config.FeatureCount));
    }

    private static int Run(TrainingConfig config, int iterations, string folder)
    {
        var (trainer, data, batch) = Start(config, folder);
        using var disposeTrainer = trainer;
        using var disposeBatch = batch;

        Console.WriteLine($"threads {torch.get_num_threads()}, batch {config.Optimisation.Batch}, length {config.Length}, hidden {config.Model.Hidden}, bidirectional D, feature matching; " +
                          $"heap tuning {(CrnnGan.Runtime.HeapTuning.Applied ? "on" : "off")}; {CrnnGan.Runtime.MklDispatch.Describe()}; oneDNN {(CrnnGan.Runtime.OneDnn.Enabled ? "on" : "off")}");
        double peak = MatmulPeakGflops();
        double work = PaperIterationGflop(config);
        double boundEventsPerSecond = peak / work * config.Optimisation.Batch * config.Length;
        Console.WriteLine($"fp32 matmul through libtorch in this process (2048x2048): {peak:F1} GFLOP/s; paper iteration matmul work {work:F1} GFLOP; " +
                          $"bound at that rate {boundEventsPerSecond:F0} events/s (bench/run-peers.sh takes the machine's fastest GEMM instead)");
        double adversarial = Measure("adversarial iteration", iterations, config, () => trainer.Step(batch, TrainingPhase.Adversarial));
        double adversarialEventsPerSecond = config.Optimisation.Batch * config.Length / adversarial;
        Console.WriteLine($"adversarial iteration: {adversarialEventsPerSecond / boundEventsPerSecond:P0} of the bound at libtorch's own GEMM rate");
        double pretraining = Measure("pretraining step", iterations, config, () => trainer.Step(batch, TrainingPhase.Pretraining));

        var samplingTimes = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            CrnnGan.Generation.SongSampler.Sample(trainer.Generator, data.Scaling, 1, 100, 100);
            samplingTimes.Add(clock.Elapsed.TotalSeconds);
        }
        double sampling = samplingTimes.Order().ElementAt(1);
        double peakMiB = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        Console.WriteLine($"sampling 100 songs x 100 events: median {sampling:F3} s of 3");
        Console.WriteLine($"peak working set: {peakMiB:F0} MiB");
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT threads={torch.get_num_threads()} adversarial_ms={adversarial * 1000:F1} adversarial_events_per_s={adversarialEventsPerSecond:F1} pretrain_ms={pretraining * 1000:F1} pretrain_events_per_s={config.Optimisation.Batch * config.Length / pretraining:F1} sampling_s={sampling:F3} peak_rss_mib={peakMiB:F0} paper_gflop={work:F2} libtorch_gemm_gflops={peak:F1}"));
        return 0;
    }

    /// <summary>
    /// The issue's count: 2*M*K*N per forward matmul, twice that for backward. D step: G forward, D forward on
    /// real and generated songs, D backward on both. G step: G forward, D forward on both, backward through D on
    /// the generated songs and through G.
    /// </summary>
    public static double PaperIterationGflop(TrainingConfig config)
    {
        double b = config.Optimisation.Batch, t = config.Length, h = config.Model.Hidden, f = config.FeatureCount;
        double gStep = 2 * (2 * f) * h + config.Model.Layers * 2 * (2 * h * 4 * h) + 2 * h * f;
        int directions = config.Model.UnidirectionalDiscriminator ? 1 : 2;
        double dStep = directions * (2 * f * 4 * h + 2 * h * 4 * h)
                       + (config.Model.Layers - 1) * directions * (2 * directions * h * 4 * h + 2 * h * 4 * h) + 2 * directions * h;
        double g = gStep * b * t, d = dStep * b * t;
        double dUpdate = g + 2 * d + 2 * (2 * d);
        double gUpdate = g + 2 * d + 2 * (d + g);
        return (dUpdate + gUpdate) / 1e9;
    }

    private static double MatmulPeakGflops()
    {
        using var a = torch.randn(2048, 2048);
        using var b = torch.randn(2048, 2048);
        for (int i = 0; i < 3; i++) torch.mm(a, b).Dispose();
        var times = new List<double>();
        for (int i = 0; i < 10; i++)
        {
            var clock = Stopwatch.StartNew();
            torch.mm(a, b).Dispose();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return 2.0 * 2048 * 2048 * 2048 / times.Min() / 1e9;
    }

    /// <summary>Runs <paramref name="step"/> once to warm up, then <paramref name="iterations"/> times; returns the median seconds.</summary>
    private static double Measure(string name, int iterations, TrainingConfig config, Action step)
    {
        step(); // warm-up: first-call allocations and kernel selection
        var times = new List<double>();
        for (int i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            step();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        double median = times[times.Count / 2];
        double eventsPerSecond = config.Optimisation.Batch * config.Length / median;
        Console.WriteLine($"{name}: median {median * 1000:F0} ms (min {times[0] * 1000:F0}, max {times[^1] * 1000:F0}) over {iterations}; " +
                          $"{eventsPerSecond:F0} events/s");
        return median;
    }
}
