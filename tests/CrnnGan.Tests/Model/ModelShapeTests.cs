using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

[Collection(TorchCollection.Name)]
public class ModelShapeTests
{
    public ModelShapeTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(4)]
    [InlineData(10)]
    public void GeneratorMakesOneEventPerStep(int features)
    {
        torch.manual_seed(1);
        using var g = new Generator(new ModelConfig(features, Hidden: 12));
        using var sample = g.Sample(3, 7);
        Assert.Equal(new long[] { 3, 7, features }, sample.shape);

        using var real = torch.randn(2, 5, features);
        using var predicted = g.TeacherForced(real);
        Assert.Equal(new long[] { 2, 5, features }, predicted.shape);
    }

    [Fact]
    public void TeacherForcedOutputAtStepTDependsOnlyOnEventsBeforeT()
    {
        torch.manual_seed(2);
        using var g = new Generator(new ModelConfig(4, Hidden: 12));
        g.eval();
        using var real = torch.randn(1, 6, 4);
        using var changed = real.clone();
        changed[0, 4] = torch.randn(4);

        torch.manual_seed(3);
        using var a = g.TeacherForced(real);
        torch.manual_seed(3);
        using var b = g.TeacherForced(changed);
        Assert.True(torch.eq(a[.., ..5], b[.., ..5]).all().item<bool>()); // steps 0..4 see events 0..3 only
        Assert.False(torch.eq(a[.., 5], b[.., 5]).all().item<bool>());
    }

    [Fact]
    public void FreeRunningEqualsTeacherForcingOnItsOwnOutput()
    {
        // Free running feeds each output back; teacher forcing on that very output, with the same noise, must agree.
        using var g = new Generator(new ModelConfig(4, Hidden: 16, Layers: 2));
        g.eval();
        torch.manual_seed(9);
        using var sampled = g.Sample(3, 12);
        torch.manual_seed(9);
        using var forced = g.TeacherForced(sampled);
        Assert.True(torch.allclose(sampled, forced, rtol: 1e-4, atol: 1e-5));
    }

    [Theory]
    [InlineData(true, 24)]
    [InlineData(false, 12)]
    public void DiscriminatorDecidesPerSongAndExposesItsLastLayer(bool bidirectional, int featureWidth)
    {
        torch.manual_seed(1);
        using var d = new Discriminator(new ModelConfig(4, Hidden: 12, BidirectionalDiscriminator: bidirectional));
        using var events = torch.randn(3, 9, 4);
        using var output = d.call(events);
        Assert.Equal(new long[] { 3 }, output.Decision.shape);
        Assert.Equal(new long[] { 3, 9, featureWidth }, output.Features.shape);
        Assert.True((output.Decision > 0).all().item<bool>() && (output.Decision < 1).all().item<bool>());
    }

    [Fact]
    public void DiscriminatorSongMomentsAreEachSongsMeansAndSpreadsBesideTheLstmFeatures()
    {
        torch.manual_seed(1);
        const double scale = 2.5;
        using var d = new Discriminator(new ModelConfig(4, Hidden: 12, DiscriminatorSongMoments: scale));
        using var plain = new Discriminator(new ModelConfig(4, Hidden: 12));
        d.eval();
        using var events = torch.randn(3, 9, 4);
        events[1, .., 2] = torch.tensor(0.7f); // a song at one velocity
        using var output = d.call(events);
        Assert.Equal(new long[] { 3, 9, 24 + 8 }, output.Features.shape);
        Assert.Equal(plain.parameters().Sum(p => p.numel()) + 8, d.parameters().Sum(p => p.numel()));

        var values = events.data<float>().ToArray();
        var features = output.Features.data<float>().ToArray();
        for (int song = 0; song < 3; song++)
        for (int value = 0; value < 4; value++)
        {
            var series = Enumerable.Range(0, 9).Select(step => (double)values[(song * 9 + step) * 4 + value]).ToArray();
            double mean = series.Average();
            double std = Math.Sqrt(series.Select(v => (v - mean) * (v - mean)).Average() + 1e-6);
            for (int step = 0; step < 9; step++)
            {
                int at = (song * 9 + step) * 32 + 24;
                Assert.Equal(scale * mean, features[at + value], 4);
                Assert.Equal(scale * std, features[at + 4 + value], 4);
            }
        }
        Assert.True(features[(1 * 9) * 32 + 24 + 4 + 2] < 0.01, "the flat song's velocity spread is (almost) zero");
    }

    [Fact]
    public void DiscriminatorSongLagsAreEachValuesRootMeanSquareChangeOverEachLag()
    {
        torch.manual_seed(3);
        const double scale = 0.5;
        const int steps = 20, lags = ModelConfig.SongLagCount;
        using var d = new Discriminator(new ModelConfig(4, Hidden: 12, DiscriminatorSongLags: scale));
        using var without = new Discriminator(new ModelConfig(4, Hidden: 12));
        d.eval();
        using var events = torch.randn(2, steps, 4);
        for (int step = 0; step < steps; step++)
            events[1, step, 1] = torch.tensor((float)(step % 4)); // song 1's pitch loops every 4 steps
        using var output = d.call(events);
        Assert.Equal(new long[] { 2, steps, 24 + lags * 4 }, output.Features.shape);
        Assert.Equal(without.parameters().Sum(p => p.numel()) + lags * 4, d.parameters().Sum(p => p.numel()));

        var values = events.data<float>().ToArray();
        var features = output.Features.data<float>().ToArray();
        int width = 24 + lags * 4;
        for (int song = 0; song < 2; song++)
        for (int lag = 1; lag <= lags; lag++)
        for (int value = 0; value < 4; value++)
        {
            double meanSquare = Enumerable.Range(lag, steps - lag)
                .Select(t => values[(song * steps + t) * 4 + value] - values[(song * steps + t - lag) * 4 + value])
                .Average(change => (double)change * change);
            for (int step = 0; step < steps; step++)
                Assert.Equal(scale * Math.Sqrt(meanSquare + 1e-6), features[(song * steps + step) * width + 24 + (lag - 1) * 4 + value], 4);
        }
        double LoopedPitchAt(int lag) => features[(1 * steps) * width + 24 + (lag - 1) * 4 + 1];
        Assert.True(LoopedPitchAt(4) < 0.01 && LoopedPitchAt(8) < 0.01, "the loop's own lengths barely move its pitch");
        Assert.True(LoopedPitchAt(1) > 0.5 && LoopedPitchAt(3) > 0.5);
    }

    [Fact]
    public void DiscriminatorSongLagsAsLongAsTheSongAreZero()
    {
        using var d = new Discriminator(new ModelConfig(4, Hidden: 6, DiscriminatorSongLags: 1));
        d.eval();
        using var events = torch.randn(1, 5, 4);
        using var output = d.call(events);
        var lagged = output.Features[0, 0, 12..].data<float>().ToArray();
        Assert.All(lagged[..(4 * 4)], v => Assert.True(v > 0));
        Assert.All(lagged[(4 * 4)..], v => Assert.Equal(0f, v));
    }
}
