using CrnnGan.Model;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Training;

/// <summary><see cref="GanStep"/>'s fast adversarial step against a plain autograd step of the same maths.</summary>
[Collection(TorchCollection.Name)]
public class GanStepTests
{
    public GanStepTests() => CrnnGan.Runtime.TorchRuntime.EnsureLoaded();

    /// <summary>
    /// The oracle: G samples with autograd's graph, D judges the real songs, G's songs detached (for D's loss) and G's
    /// songs themselves (for G's), and each network takes one optimiser step on its own loss plus L2, clipped. Without
    /// dropout and freezing nothing else differs, so the weights after one step must agree.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TheFastAdversarialStepIsAPlainAutogradStep(int threads)
    {
        var config = TinyRuns.Config(epochs: 1, pretrainEpochs: 0).With("model.dropout=0", "model.d_input_dropout=0",
            "optimisation.freezing=false", "optimisation.l2=0.1", "optimisation.adam=true", "optimisation.learning_rate=0.01",
            "losses.fm_means=true", "losses.fm_spread=1", "model.d_song_moments=2", "model.d_song_lags=0.5", "model.d_clamp_time=true",
            "model.song_noise=3", "model.song_velocity=true");
        var data = TinyRuns.Data(config);
        int threadsBefore = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            torch.manual_seed(5);
            using var step = new GanStep(config, data, torch.CPU, fresh: true);
            using var g = new Generator(config.Networks);
            using var d = new Discriminator(config.Networks);
            g.load_state_dict(step.Generator.state_dict());
            d.load_state_dict(step.Discriminator.state_dict());
            using var gOptimizer = GanStep.CreateOptimizer(config, g.parameters(), config.Optimisation.LearningRate);
            using var dOptimizer = GanStep.CreateOptimizer(config, d.parameters(),
                config.Optimisation.LearningRate * config.Optimisation.DiscriminatorLearningRateFactor);

            torch.manual_seed(9);
            using var real = torch.randn(5, 16, config.FeatureCount);
            torch.manual_seed(11);
            step.Step(real, TrainingPhase.Adversarial, new EpochAccumulator());

            torch.manual_seed(11);
            PlainStep(config, data, g, d, gOptimizer, dOptimizer, real);

            AssertClose(g, step.Generator);
            AssertClose(d, step.Discriminator);
        }
        finally
        {
            torch.set_num_threads(threadsBefore);
        }
    }

    private static void PlainStep(TrainingConfig config, TrainingData data, Generator g, Discriminator d,
        optim.Optimizer gOptimizer, optim.Optimizer dOptimizer, Tensor real)
    {
        using var scope = NewDisposeScope();
        g.train();
        d.train();
        double l2 = config.Optimisation.L2Scale, clip = config.Optimisation.ClipNorm;
        var fake = WrittenEvents.ClampTimeAtZero(g.Sample(real.shape[0], real.shape[1]), config.TonesPerCell, data.Scaling);
        var onReal = d.call(real);
        var dLoss = GanLosses.Discriminator(onReal.Decision, d.call(fake.detach()).Decision);
        var onFake = d.call(fake);
        var realFeatures = onReal.Features.detach();
        var gLoss = GanLosses.FeatureMatchingOfMeans(realFeatures, onFake.Features)
                    + config.Losses.FeatureSpreadWeight * GanLosses.FeatureSpreadMatching(realFeatures, onFake.Features);

        gOptimizer.zero_grad();
        (gLoss + GanLosses.L2(g.RegularizedParameters, l2)).backward();
        nn.utils.clip_grad_norm_(g.parameters(), clip);
        gOptimizer.step();

        dOptimizer.zero_grad(); // G's loss reached D's weights too; D learns from its own loss alone
        (dLoss + GanLosses.L2(d.parameters(), l2)).backward();
        nn.utils.clip_grad_norm_(d.parameters(), clip);
        dOptimizer.step();
    }

    private static void AssertClose(nn.Module expected, nn.Module actual)
    {
        var fast = actual.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in expected.named_parameters())
            Assert.True(torch.allclose(parameter, fast[name], rtol: 1e-4, atol: 1e-6),
                $"{name}: largest difference {(parameter - fast[name]).abs().max().item<float>()}");
    }
}
