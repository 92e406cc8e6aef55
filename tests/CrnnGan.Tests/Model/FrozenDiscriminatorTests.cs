using CrnnGan.Model;
using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Model;

[Collection(TorchCollection.Name)]
public class FrozenDiscriminatorTests
{
    public FrozenDiscriminatorTests() => TorchRuntime.EnsureLoaded();

    private static ModelConfig Config(int layers = 2) =>
        new(4, Hidden: 10, Layers: layers, DiscriminatorSongMoments: 2, DiscriminatorSongLags: 1);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void WithoutDropoutItJudgesAsDAndGivesTheSameGradientToTheSongs(int layers)
    {
        torch.manual_seed(4);
        using var d = new Discriminator(Config(layers));
        d.eval();
        using var frozen = new FrozenDiscriminator(d);
        frozen.Refresh();
        using var songs = randn(3, 9, 4);

        using var x1 = songs.clone().requires_grad_(true);
        var expected = d.call(x1);
        (expected.Features.square().sum() + expected.Decision.sum()).backward();
        using var x2 = songs.clone().requires_grad_(true);
        var masks = frozen.DrawMasks(3, 9);
        Assert.Null(masks.Input);
        var actual = frozen.Judge(x2, masks);
        (actual.Features.square().sum() + actual.Decision.sum()).backward();

        Assert.True(allclose(expected.Decision, actual.Decision, rtol: 1e-5, atol: 1e-6));
        Assert.True(allclose(expected.Features, actual.Features, rtol: 1e-5, atol: 1e-6));
        Assert.True(allclose(x1.grad!, x2.grad!, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void DsWeightsGetNoGradientAndTheCopyFollowsDOnlyWhenRefreshed()
    {
        torch.manual_seed(5);
        using var d = new Discriminator(Config());
        d.eval();
        using var frozen = new FrozenDiscriminator(d);
        frozen.Refresh();
        using var songs = randn(2, 6, 4).requires_grad_(true);
        var before = frozen.Judge(songs, frozen.DrawMasks(2, 6));
        before.Decision.sum().backward();
        Assert.All(d.parameters(), p => Assert.True(p.grad is null || p.grad.abs().max().item<float>() == 0));

        using (no_grad())
            foreach (var p in d.parameters()) p.add_(0.5);
        var stale = frozen.Judge(songs, frozen.DrawMasks(2, 6));
        // The classifier is D's own (read, not copied); the LSTM is the copy, so only its part is stale.
        Assert.False(allclose(d.call(songs).Features, stale.Features, rtol: 1e-5, atol: 1e-6));
        frozen.Refresh();
        Assert.True(allclose(d.call(songs).Features, frozen.Judge(songs, frozen.DrawMasks(2, 6)).Features, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void InTrainingModeMasksAreDropoutsAndAllOnesMasksGiveTheEvaluationPass()
    {
        torch.manual_seed(6);
        var config = Config() with { Dropout = 0.5, DiscriminatorInputDropout = 0.25 };
        using var d = new Discriminator(config);
        using var frozen = new FrozenDiscriminator(d);
        frozen.Refresh();
        d.train();
        var masks = frozen.DrawMasks(50, 40);
        Assert.Equal(new long[] { 50, 40, 4 }, masks.Input!.shape);
        Assert.Equal(new long[] { 50, 40, 20 }, masks.BetweenLayers[0]!.shape);
        // Values 0 or 1/(1-p), zero about p of the time.
        Assert.True(masks.Input.eq(0).logical_or(masks.Input.eq(1 / 0.75f)).all().item<bool>());
        Assert.InRange(masks.Input.eq(0).to(ScalarType.Float32).mean().item<float>(), 0.2, 0.3);
        Assert.True(masks.BetweenLayers[0]!.eq(0).logical_or(masks.BetweenLayers[0]!.eq(2)).all().item<bool>());
        Assert.InRange(masks.BetweenLayers[0]!.eq(0).to(ScalarType.Float32).mean().item<float>(), 0.45, 0.55);

        using var songs = randn(50, 40, 4);
        var ones = new DiscriminatorMasks(ones_like(masks.Input), [ones_like(masks.BetweenLayers[0]!)]);
        var withOnes = frozen.Judge(songs, ones);
        var dropped = frozen.Judge(songs, masks);
        d.eval();
        Assert.Null(frozen.DrawMasks(50, 40).Input);
        var evaluation = d.call(songs);
        Assert.True(allclose(evaluation.Features, withOnes.Features, rtol: 1e-5, atol: 1e-6));
        Assert.False(allclose(evaluation.Features, dropped.Features, rtol: 1e-3, atol: 1e-4));
    }
}
