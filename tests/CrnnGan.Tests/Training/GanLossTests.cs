using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Training;

[Collection(TorchCollection.Name)]
public class GanLossTests
{
    public GanLossTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void FeatureMatchingIsTheMeanOverSongsOfTheSummedSquaredDifference()
    {
        // Song 0: differences 1, 2 / 0, 0 -> 5. Song 1: differences 0, 0 / 3, 0 -> 9. Mean over 2 songs: 7.
        using var real = tensor(new float[] { 1, 2, 0, 0, 0, 0, 3, 1 }, new long[] { 2, 2, 2 });
        using var fake = tensor(new float[] { 0, 0, 0, 0, 0, 0, 0, 1 }, new long[] { 2, 2, 2 });
        using var loss = GanLosses.FeatureMatching(real, fake);
        Assert.Equal(7.0, loss.item<float>(), 5);
    }

    [Fact]
    public void FeatureMatchingOfMeansComparesBatchMeansSoDifferentSongsCanMatch()
    {
        // Real songs with features +1 and -1 average to 0; generated songs -1 and +1 (the other way round) too:
        // the pairwise form sees a difference of 2 per song, the means form none.
        using var real = tensor(new float[] { 1, -1 }, new long[] { 2, 1, 1 });
        using var fake = tensor(new float[] { -1, 1 }, new long[] { 2, 1, 1 });
        using var means = GanLosses.FeatureMatchingOfMeans(real, fake);
        using var pairs = GanLosses.FeatureMatching(real, fake);
        Assert.Equal(0.0, means.item<float>(), 6);
        Assert.Equal(4.0, pairs.item<float>(), 6);

        // Means 2 and 0 on one step and feature: (2 - 0)^2 = 4.
        using var shifted = tensor(new float[] { 3, 1 }, new long[] { 2, 1, 1 });
        using var apart = GanLosses.FeatureMatchingOfMeans(shifted, fake);
        Assert.Equal(4.0, apart.item<float>(), 6);
    }

    [Fact]
    public void SpreadMatchingComparesHowMuchSongsDifferNotWhereTheyAre()
    {
        // Real songs average +1 and -1 over their 2 steps (spread 1); generated songs both average 0 (spread 0):
        // the means agree, the spreads do not: (1 - 0)^2 x 2 steps = 2.
        using var real = tensor(new float[] { 2, 0, -1, -1 }, new long[] { 2, 2, 1 });
        using var alike = tensor(new float[] { 0, 0, 1, -1 }, new long[] { 2, 2, 1 });
        using var means = GanLosses.FeatureMatchingOfMeans(real, alike);
        using var spread = GanLosses.FeatureSpreadMatching(real, alike);
        Assert.Equal(0.0, means.item<float>(), 5);
        Assert.Equal(2.0, spread.item<float>(), 3);

        // Songs as far apart as the real ones, elsewhere (averages 4 and 2): the spreads agree.
        using var shifted = tensor(new float[] { 5, 3, 2, 2 }, new long[] { 2, 2, 1 });
        using var same = GanLosses.FeatureSpreadMatching(real, shifted);
        Assert.Equal(0.0, same.item<float>(), 3);
    }

    [Fact]
    public void SpreadMatchingPushesAlikeSongsApart()
    {
        using var real = tensor(new float[] { 1, -1, 3, 0 }, new long[] { 4, 1, 1 });
        using var fake = tensor(new float[] { 0.1f, 0.1f, 0.1f, 0.1f }, new long[] { 4, 1, 1 }).requires_grad_(true);
        GanLosses.FeatureSpreadMatching(real, fake).backward();
        Assert.True(fake.grad!.isfinite().all().item<bool>(), "the gradient is not finite when all songs are alike");
        // All alike, the gradient cannot yet say which way each song should go, only that it should move.
        using var fakeApart = tensor(new float[] { 0.1f, 0.2f, 0.1f, 0.1f }, new long[] { 4, 1, 1 }).requires_grad_(true);
        GanLosses.FeatureSpreadMatching(real, fakeApart).backward();
        var g = fakeApart.grad!;
        // Gradient descent moves the song above the batch mean up and the others down: further apart.
        Assert.True(g[1, 0, 0].item<float>() < 0, $"gradient {g[1, 0, 0].item<float>()} of the outlying song");
        Assert.True(g[0, 0, 0].item<float>() > 0);
    }

    [Fact]
    public void DiscriminatorLossIsTheMeanOfBothCrossEntropyTerms()
    {
        using var real = tensor(new float[] { 0.9f, 0.5f });
        using var fake = tensor(new float[] { 0.2f, 0.5f });
        double expected = (-Math.Log(0.9) - Math.Log(0.8) - Math.Log(0.5) - Math.Log(0.5)) / 2;
        using var loss = GanLosses.Discriminator(real, fake);
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void GeneratorLossForms()
    {
        using var fake = tensor(new float[] { 0.25f, 0.5f });
        using var nonSaturating = GanLosses.Generator(fake, GeneratorLossForm.NonSaturating);
        using var minimax = GanLosses.Generator(fake, GeneratorLossForm.Minimax);
        Assert.Equal((-Math.Log(0.25) - Math.Log(0.5)) / 2, nonSaturating.item<float>(), 5);
        Assert.Equal((Math.Log(0.75) + Math.Log(0.5)) / 2, minimax.item<float>(), 5);
    }

    [Fact]
    public void LossesStayFiniteWhenDIsCertain()
    {
        using var ones = torch.ones(3);
        using var zeros = torch.zeros(3);
        using var d = GanLosses.Discriminator(zeros, ones);
        using var g = GanLosses.Generator(zeros, GeneratorLossForm.NonSaturating);
        Assert.True(double.IsFinite(d.item<float>()) && d.item<float>() > 10);
        Assert.True(double.IsFinite(g.item<float>()) && g.item<float>() > 10);
    }

    [Fact]
    public void L2IsScaleTimesHalfTheSumOfSquares()
    {
        using var a = new Parameter(tensor(new float[] { 1, 2 }));
        using var b = new Parameter(tensor(new float[] { 3 }));
        using var loss = GanLosses.L2([a, b], 0.1);
        Assert.Equal(0.1 * (1 + 4 + 9) / 2, loss.item<float>(), 5);
    }

    [Theory]
    // D's loss is taken per term (L_D / 2) against G's adversarial loss.
    [InlineData(1.386, 0.693, true, true)]   // equilibrium: both learn
    [InlineData(0.6, 1.0, false, true)]      // D per term 0.3 < 0.7 x 1.0: D frozen
    [InlineData(3.0, 0.5, true, false)]      // G 0.5 < 0.7 x 1.5: G frozen
    [InlineData(1.4, 1.0, true, true)]       // D per term 0.7 is not below 0.7 x 1.0
    public void FreezingSkipsExactlyTheUpdateItShould(double dLoss, double gLoss, bool trainD, bool trainG)
    {
        Assert.Equal((trainD, trainG), new FreezingRule().Decide(dLoss, gLoss));
        Assert.Equal((true, true), new FreezingRule(Enabled: false).Decide(dLoss, gLoss));
    }
}
