using System.Diagnostics;
using CrnnGan.Data;
using CrnnGan.Training;
using TorchSharp;

namespace CrnnGan.Bench;

/// <summary>
/// Adversarial-iteration throughput at the paper's configuration (batch 20, length 100, hidden 350,
/// bidirectional D, feature matching): one D step + one G step per iteration, freezing off so both always run.
/// Also times a pretraining (teacher-forced MSE) step and sampling 100 songs of 100 events.
/// </summary>
public static class TrainStepBench
{
    public static int Run(int iterations, int? threads)
    {
        var config = new TrainingConfig
        {
            Batch = 20, Length = 100, Hidden = 350, Layers = 2, FeatureMatching = true, Freezing = false,
            CurriculumStep = 0, Threads = threads ?? Environment.ProcessorCount, Seed = 1,
        };
        var songs = SyntheticCorpus.Generate(40, seed: 1);
        var data = TrainingData.FromSongs("synthetic", songs, [], config.TonesPerCell, minEvents: 1);
        string folder = Path.Combine(Path.GetTempPath(), "crnngan-bench", Guid.NewGuid().ToString("N"));
        using var trainer = GanTrainer.Start(config, data, folder);
        using var batch = torch.randn(config.Batch, config.Length, config.FeatureCount);

        Console.WriteLine($"threads {torch.get_num_threads()}, batch {config.Batch}, length {config.Length}, hidden {config.Hidden}, bidirectional D, feature matching");
        Measure("adversarial iteration", iterations, config, () => trainer.Step(batch, TrainingPhase.Adversarial));
        Measure("pretraining step", iterations, config, () => trainer.Step(batch, TrainingPhase.Pretraining));

        var sampling = Stopwatch.StartNew();
        var sampled = CrnnGan.Generation.SongSampler.Sample(trainer.Generator, data.Scaling, 1, 100, 100);
        Console.WriteLine($"sampling 100 songs x 100 events: {sampling.Elapsed.TotalSeconds:F3} s ({sampled.Count} songs)");
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    private static void Measure(string name, int iterations, TrainingConfig config, Action step)
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
        Console.WriteLine($"{name}: median {median * 1000:F0} ms (min {times[0] * 1000:F0}, max {times[^1] * 1000:F0}) over {iterations}; " +
                          $"{config.Batch * config.Length / median:F0} events/s");
    }
}
