using System.Diagnostics;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;
using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Bench;

/// <summary>
/// Where an adversarial iteration's time goes, at the paper's sizes: each forward and backward pass timed on
/// its own (median over the iterations), to choose what to optimise. Not a pass/fail test.
/// </summary>
public static class TrainProfileBench
{
    public static int Run(int iterations, int threads)
    {
        CrnnGan.Runtime.TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        var config = new TrainingConfig
        {
            Model = new ModelSettings { Hidden = 350, Layers = 2 },
            Optimisation = new OptimisationSettings { Batch = 20 },
            Losses = new LossSettings { FeatureMatching = true },
            Data = new DataSettings { Length = 100 },
        };
        using var g = new Generator(config.Networks);
        using var d = new Discriminator(config.Networks);
        using var real = randn(config.Optimisation.Batch, config.Length, config.FeatureCount);
        using var gOptimizer = GanStep.CreateOptimizer(config, g.parameters(), config.Optimisation.LearningRate);
        using var dOptimizer = GanStep.CreateOptimizer(config, d.parameters(), config.Optimisation.LearningRate);
        var timings = new Dictionary<string, List<double>>();
        void Time(string name, Action action)
        {
            var clock = Stopwatch.StartNew();
            action();
            (timings.TryGetValue(name, out var list) ? list : timings[name] = []).Add(clock.Elapsed.TotalMilliseconds);
        }

        for (int i = 0; i <= iterations; i++)
        {
            var whole = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            Tensor fake = null!;
            GeneratorTape tape = null!;
            DiscriminatorOutput onBoth = null!, onFake = null!;
            // The adversarial step's passes one after the other on one thread (GanStep runs some side by side), with
            // oneDNN as the process started (CRNNGAN_ONEDNN, see OneDnn).
            {
                Time("G sample with tape (no grad)", () => (fake, tape) = g.SampleWithTape(config.Optimisation.Batch, config.Length));
                fake.requires_grad_(true);
                Time("D forward 2B (real + generated)", () => onBoth = d.call(cat([real, fake.detach()], 0)));
                foreach (var p in d.parameters()) p.requires_grad = false;
                Time("D forward B (generated, D frozen)", () => onFake = d.call(fake));
                foreach (var p in d.parameters()) p.requires_grad = true;
                var gLoss = GanLosses.FeatureMatchingOfMeans(onBoth.Features[..config.Optimisation.Batch].detach(), onFake.Features);
                var dLoss = GanLosses.Discriminator(onBoth.Decision[..config.Optimisation.Batch], onBoth.Decision[config.Optimisation.Batch..]);
                Time("G loss backward to the songs (D B)", () => gLoss.backward());
                Time("G backward by the tape", () => tape.Backward(fake.grad!));
                Time("D loss backward (D 2B)", () => dLoss.backward());
                Time("L2 terms, backward (G and D)", () =>
                {
                    GanLosses.L2(g.parameters(), config.Optimisation.L2Scale).backward();
                    GanLosses.L2(d.parameters(), config.Optimisation.L2Scale).backward();
                });
                Time("clipping (G and D)", () =>
                {
                    nn.utils.clip_grad_norm_(g.parameters(), config.Optimisation.ClipNorm);
                    nn.utils.clip_grad_norm_(d.parameters(), config.Optimisation.ClipNorm);
                });
                Time("optimiser steps (G and D)", () =>
                {
                    gOptimizer.step();
                    dOptimizer.step();
                });
            }
            g.zero_grad();
            d.zero_grad();
            scope.Dispose();
            (timings.TryGetValue("(whole iteration of the above)", out var all) ? all : timings["(whole iteration of the above)"] = []).Add(whole.Elapsed.TotalMilliseconds);
            if (i == 0) timings.Clear(); // warm-up
        }
        Console.WriteLine($"threads {torch.get_num_threads()}, batch {config.Optimisation.Batch}, length {config.Length}, hidden {config.Model.Hidden}; median of {iterations}; " +
                          $"{MklDispatch.Describe()}; oneDNN {(OneDnn.Enabled ? "on" : "off")}");
        foreach (var (name, list) in timings)
            Console.WriteLine($"{name,-36} {list.Order().ElementAt(list.Count / 2),8:F1} ms");
        return 0;
    }
}

