using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Model;

[Collection(TorchCollection.Name)]
public class MusicalInputsTests
{
    public MusicalInputsTests() => TorchRuntime.EnsureLoaded();

    private static readonly FeatureScaling Scaling = FeatureScaling.Default;

    /// <summary>One song of one-tone events: (pitch, ticks since the previous onset) each, scaled as G writes them.</summary>
    private static Tensor Song(params (int Pitch, double Ticks)[] events)
    {
        var values = events.SelectMany(e => new[] { 192f, (float)Tuning.PitchToFrequency(e.Pitch), 80f, (float)e.Ticks }).ToArray();
        var scaled = Scaling.Scale(new EncodedSong(1, values));
        return tensor(scaled).reshape(1, events.Length, 4);
    }

    [Fact]
    public void OnTheGridEveryCosineIsOneOffItTheyAverageFarLess()
    {
        var inputs = new MusicalInputs(1, Scaling, rhythm: 1, intervals: 0);
        using var onGrid = inputs.Of(Song((60, 0), (62, 96), (64, 192), (65, 384), (67, 96)));
        using var offGrid = inputs.Of(Song((60, 0), (62, 37), (64, 211), (65, 150), (67, 61)));

        Assert.Equal(new long[] { 1, 5, MusicalInputs.RhythmCount }, onGrid.shape);
        // Cosines at 0, 2, 4, 6: the time on 16ths and triplets, the position on 16ths and beats; 96 is not a triplet.
        foreach (int cosine in new[] { 0, 4 })
            Assert.All(onGrid[0, .., cosine].data<float>().ToArray(), v => Assert.Equal(1f, v, 4));
        Assert.True(offGrid[0, .., 4].mean().item<float>() < 0.5f);
    }

    [Fact]
    public void IntervalIndicatorsSayRepeatStepAndWideLeap()
    {
        var inputs = new MusicalInputs(1, Scaling, rhythm: 0, intervals: 2);
        using var read = inputs.Of(Song((60, 0), (60, 96), (62, 96), (77, 96)));

        float[] v = read.data<float>().ToArray(); // (repeat, step, wide leap) per step, times 2
        Assert.Equal([0f, 0f, 0f], v[0..3]);
        Assert.Equal(2f, v[3], 3);
        Assert.True(v[4] < 0.1f && v[5] < 0.1f);
        Assert.True(v[6] < 0.1f && v[7] > 1.3f && v[8] < 0.1f); // a step of 2 reads 0.71 of the full 1 (times 2)
        Assert.True(v[11] > 1.9f && v[9] < 0.1f);
    }

    [Fact]
    public void GsTimesAreWrittenOnItsGridAndDSeesThemSoWithTheGradientPassingThrough()
    {
        var song = new EncodedSong(1, [190f, 440f, 80f, 90f, 7f, 440f, 80f, 100f, -5f, 440f, 80f, -30f]);
        SongSampler.RoundTimes(song, 16);
        Assert.Equal([96f, 96f, 0f], [song.Values[3], song.Values[7], song.Values[11]]);
        Assert.Equal([192f, 0f, 0f], [song.Values[0], song.Values[4], song.Values[8]]); // lengths; 0 writes no note

        using var scaled = Song((60, 90), (62, 100)).requires_grad_(true);
        using var written = WrittenEvents.RoundTime(scaled, 1, Scaling, 16);
        float[] ticks = (written[0, .., 3] * Scaling.Time.Scale + Scaling.Time.Offset).data<float>().ToArray();
        Assert.Equal(96f, ticks[0], 3);
        Assert.Equal(96f, ticks[1], 3);
        Assert.Equal(192f, (written[0, 0, 0] * Scaling.Length.Scale + Scaling.Length.Offset).item<float>(), 3);
        written.sum().backward();
        Assert.All(scaled.grad!.data<float>().ToArray(), g => Assert.Equal(1f, g));
    }

    [Fact]
    public void DReadsTheMusicalInputsBesideTheEvents()
    {
        torch.manual_seed(3);
        using var d = new Discriminator(new ModelConfig(4, Hidden: 8, DiscriminatorRhythm: 1, DiscriminatorIntervals: 1), scaling: Scaling);
        Assert.Equal(4 + MusicalInputs.RhythmCount + MusicalInputs.IntervalCount, d.InputCount);
        using var output = d.call(Song((60, 0), (62, 96), (64, 96)));
        Assert.Equal(new long[] { 1 }, output.Decision.shape);
    }
}
