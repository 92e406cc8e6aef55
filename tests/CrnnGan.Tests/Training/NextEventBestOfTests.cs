using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Training;

/// <summary><c>losses.pretrain_samples</c>: pretraining scores each step by the nearest of several draws of G's noise.</summary>
[Collection(TorchCollection.Name)]
public class NextEventBestOfTests
{
    public NextEventBestOfTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void OneDrawIsThePlainMse()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        var real = randn(3, 5, 4);
        var predicted = randn(3, 5, 4);
        Assert.Equal(GanLosses.NextEvent(predicted, real).item<float>(), GanLosses.NextEventBestOf(predicted, real, 1).item<float>(), 5);
    }

    [Fact]
    public void EachStepIsScoredByItsNearestDraw()
    {
        using var scope = NewDisposeScope();
        // Two songs of two steps; draw 0 is right at step 0 of song 0, draw 1 at its step 1; song 1 is right in neither.
        var real = tensor(new float[] { 1, -1, 2, 2 }).view(2, 2, 1);
        var draws = tensor(new float[] { 1, 5, 0, 0, /* draw 1: */ 7, -1, 3, 4 }).view(4, 2, 1);
        // Per step: song 0: min(0, 36) = 0, min(36, 0) = 0; song 1: min(4, 1) = 1, min(4, 4) = 4.
        Assert.Equal(5f / 4, GanLosses.NextEventBestOf(draws, real, 2).item<float>(), 5);
    }

    /// <summary>Each next value is +1 or -1 at random: the plain MSE teaches G to say 0, the nearest of eight draws
    /// to say +1 or -1 by its noise.</summary>
    [Fact]
    public void TheNearestDrawLetsGChooseBetweenTwoOutcomesInsteadOfAveragingThem()
    {
        double MeanDistanceFromZero(int samples)
        {
            using var scope = NewDisposeScope();
            torch.manual_seed(4);
            var g = new Generator(new ModelConfig(4, Hidden: 24, Dropout: 0));
            var optimizer = optim.Adam(g.parameters(), lr: 0.01);
            for (int step = 0; step < 150; step++)
            {
                using var stepScope = NewDisposeScope();
                var real = zeros(16, 8, 4);
                real[.., .., 1] = randint(0, 2, [16, 8]).mul(2).sub(1).to(float32);
                optimizer.zero_grad();
                var loss = samples == 1 ? GanLosses.NextEvent(g.TeacherForced(real), real)
                    : GanLosses.NextEventBestOf(g.TeacherForced(real.repeat(samples, 1, 1)), real, samples);
                loss.backward();
                optimizer.step();
            }
            using (no_grad())
            {
                var probe = zeros(64, 8, 4);
                probe[.., .., 1] = randint(0, 2, [64, 8]).mul(2).sub(1).to(float32);
                return g.TeacherForced(probe)[.., .., 1].abs().mean().item<float>();
            }
        }

        double plain = MeanDistanceFromZero(1), bestOfEight = MeanDistanceFromZero(8);
        Assert.True(plain < 0.3, $"plain MSE: G's guesses should sit near 0, were {plain:F3} from it on average");
        Assert.True(bestOfEight > 0.6, $"nearest of 8: G's guesses should sit near +1 or -1, were {bestOfEight:F3} from 0 on average");
    }

    /// <summary><c>losses.adversarial_next_event</c> adds the next-event loss to G's in adversarial steps: it changes G's
    /// step, and the step stays the same on one thread and on two.</summary>
    [Fact]
    public void TheNextEventLossInAdversarialStepsMovesGAndKeepsTheStepDeterministic()
    {
        float[] GAfterOneStep(double weight, int threads)
        {
            var config = TinyRuns.Config(epochs: 1, pretrainEpochs: 0).With("optimisation.freezing=false", "losses.pretrain_samples=4",
                FormattableString.Invariant($"losses.adversarial_next_event={weight}"));
            var data = TinyRuns.Data(config);
            int before = torch.get_num_threads();
            torch.set_num_threads(threads);
            try
            {
                using var scope = NewDisposeScope();
                torch.manual_seed(5);
                using var step = new GanStep(config, data, torch.CPU, fresh: true);
                torch.manual_seed(9);
                var real = torch.randn(5, 16, config.FeatureCount);
                torch.manual_seed(11);
                step.Step(real, TrainingPhase.Adversarial, new EpochAccumulator());
                return step.Generator.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray();
            }
            finally
            {
                torch.set_num_threads(before);
            }
        }

        var withLoss = GAfterOneStep(1, threads: 1);
        Assert.NotEqual(GAfterOneStep(0, threads: 1), withLoss);
        Assert.Equal(withLoss, GAfterOneStep(1, threads: 2));
    }
}
