using System.Diagnostics;
using CrnnGan.Model;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Bench;

/// <summary>
/// D's forward and backward pass over 2B songs at the paper's sizes, in float32 and in bfloat16 (weights and inputs
/// cast), alternating twice: whether a lower precision would speed up the largest part of an adversarial iteration.
/// </summary>
public static class LstmDtypeBench
{
    public static int Run(int threads)
    {
        CrnnGan.Runtime.TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        var config = new TrainingConfig
        {
            Model = new ModelSettings { Hidden = 350, Layers = 2 },
            Optimisation = new OptimisationSettings { Batch = 20 },
            Losses = new LossSettings { FeatureMatching = true },
            Data = new DataSettings { Length = 100 },
        };
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16, ScalarType.Float32, ScalarType.BFloat16 })
        {
            torch.manual_seed(1);
            using var d = new Discriminator(config.Networks);
            d.to(dtype);
            using var songs = randn(2 * config.Optimisation.Batch, config.Length, config.FeatureCount).to(dtype);
            var forward = new List<double>();
            var backward = new List<double>();
            for (int i = 0; i < 6; i++)
            {
                using var scope = NewDisposeScope();
                var clock = Stopwatch.StartNew();
                var output = d.call(songs);
                forward.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                (output.Features.to(ScalarType.Float32).square().mean() + output.Decision.to(ScalarType.Float32).mean()).backward();
                backward.Add(clock.Elapsed.TotalMilliseconds);
                d.zero_grad();
            }
            // The first pass warms up; the median of the other five.
            Console.WriteLine($"{dtype}: D forward 2B {forward.Skip(1).Order().ElementAt(2):F0} ms, backward {backward.Skip(1).Order().ElementAt(2):F0} ms");
        }
        return 0;
    }
}
