using CrnnGan.Model;
using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary>G's temperature: the scale of each step's noise about its middle, the song's own noise untouched.</summary>
[Collection(TorchCollection.Name)]
public class NoiseScaleTests
{
    public NoiseScaleTests() => TorchRuntime.EnsureLoaded();

    private static Generator NewGenerator(int songNoise)
    {
        torch.manual_seed(5);
        var g = new Generator(new ModelConfig(4, Hidden: 16, SongNoiseSize: songNoise));
        g.eval();
        return g;
    }

    private static Tensor SampleAt(Generator g, double scale, long batch = 64, long length = 12)
    {
        torch.manual_seed(21);
        return g.Sample(batch, length, scale);
    }

    [Fact]
    public void ScaleOneIsTheUnscaledSample()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(songNoise: 2);
        torch.manual_seed(21);
        var plain = g.Sample(8, 10);
        Assert.True(plain.equal(SampleAt(g, 1, 8, 10)).all().item<bool>());
        Assert.False(plain.equal(SampleAt(g, 0.5, 8, 10)).all().item<bool>());
    }

    [Fact]
    public void SmallerScalesMakeStepsLessRandom()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(songNoise: 0);
        // Spread across songs of each step's output, after the first steps (where the random first "previous event" acts).
        double Spread(double scale) => SampleAt(g, scale)[.., 4..].std(0).mean().item<float>();
        double wide = Spread(1), half = Spread(0.5), none = Spread(0);
        Assert.True(half < wide, $"scale 0.5 spread {half} should be below scale 1's {wide}");
        Assert.True(none < half, $"scale 0 spread {none} should be below scale 0.5's {half}");
        Assert.True(Spread(2) > wide);
    }

    [Fact]
    public void AtScaleZeroSongsDifferOnlyByTheirSongNoise()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(songNoise: 3);
        var songs = SampleAt(g, 0, batch: 32, length: 30);
        // With only the song's noise left, songs still differ from each other ...
        Assert.True(songs[.., ^1].std(0).mean().item<float>() > 1e-4);
        // ... and without song noise they converge to one song once the first event's randomness has worn off.
        var plain = SampleAt(NewGenerator(songNoise: 0), 0, batch: 32, length: 30);
        Assert.True(plain[.., ^1].std(0).mean().item<float>() < songs[.., ^1].std(0).mean().item<float>());
    }
}
