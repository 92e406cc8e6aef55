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
    public void GsWrittenTimesRestOnTheStaircasesStepsAndKeepAGradient()
    {
        // 90 and 100 are within a quarter step of 96; 72 is the half-way point between 48 and 96, a fixed point.
        using var scaled = Song((60, 90), (62, 100), (64, 72), (65, 250)).requires_grad_(true);
        using var written = TimeStaircase.Apply(scaled, 1, Scaling.Time, 48);
        float[] ticks = (written[0, .., 3] * Scaling.Time.Scale + Scaling.Time.Offset).data<float>().ToArray();

        Assert.Equal(96f, ticks[0], 0.5f);
        Assert.Equal(96f, ticks[1], 0.5f);
        Assert.Equal(72f, ticks[2], 0.01f);
        Assert.Equal(240f, ticks[3], 1f);
        Assert.Equal(scaled[.., .., ..3].data<float>().ToArray(), written[.., .., ..3].data<float>().ToArray()); // the rest as it was
        written[0, .., 3].sum().backward();
        float[] gradient = scaled.grad![0, .., 3].data<float>().ToArray();
        Assert.True(gradient[2] > 1f, "steepest half-way between the steps");
        Assert.InRange(gradient[0], -0.01f, 0.5f); // flat on a step: a time written on the grid stays there
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
