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
        // The last value: the time repeats the one before (96 after 384: no; 96, 96 below: yes).
        Assert.Equal([0f, 0f, 0f, 0f, 0f], onGrid[0, .., 8].data<float>().ToArray().Select(v => MathF.Round(v, 3)).ToArray());
        using var steady = inputs.Of(Song((60, 0), (62, 96), (64, 96), (65, 96)));
        Assert.Equal([0f, 0f, 1f, 1f], steady[0, .., 8].data<float>().ToArray().Select(v => MathF.Round(v, 3)).ToArray());
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
    public void GsWrittenOnsetsRestOnTheStaircasesStepsWithoutDriftAndKeepAGradient()
    {
        // Positions 90, 190, 190 (a time below zero reads as zero), 240, 380: each within a quarter step of the grid of 48.
        using var song = Song((60, 90), (62, 100), (64, -20), (65, 50), (67, 140));
        using var written = TimeStaircase.Apply(song, 1, Scaling.Time, 48);
        float[] ticks = (written[0, .., 3] * Scaling.Time.Scale + Scaling.Time.Offset).data<float>().ToArray();

        float[] expected = [96, 96, 0, 48, 144];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], ticks[i], 0.5f);
        Assert.Equal(song[.., .., ..3].data<float>().ToArray(), written[.., .., ..3].data<float>().ToArray()); // the rest as it was

        // Half-way between two steps the staircase is steepest (slope 2 per pass), on a step it is flat.
        using var halfWay = Song((60, 72)).requires_grad_(true);
        TimeStaircase.Apply(halfWay, 1, Scaling.Time, 48)[0, 0, 3].backward();
        Assert.Equal(4f, halfWay.grad![0, 0, 3].item<float>(), 0.01f);
        using var onStep = Song((60, 96)).requires_grad_(true);
        TimeStaircase.Apply(onStep, 1, Scaling.Time, 48)[0, 0, 3].backward();
        Assert.Equal(0f, onStep.grad![0, 0, 3].item<float>(), 0.001f);
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
