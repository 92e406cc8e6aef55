using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Model;

[Collection(TorchCollection.Name)]
public class PitchClassFeaturesTests
{
    internal static readonly FeatureScaling Scaling = new(
        new OffsetScale(200, 150), new OffsetScale(3.1, 0.9), new OffsetScale(70, 20), new OffsetScale(100, 120));

    public PitchClassFeaturesTests() => TorchRuntime.EnsureLoaded();

    /// <summary>One event per pitch, scaled as the trainer scales real songs.</summary>
    internal static Tensor Events(int tonesPerCell, params (int Pitch, int Velocity)[][] cells)
    {
        int features = EventLayout.FeatureCount(tonesPerCell);
        var values = new float[cells.Length * features];
        for (int e = 0; e < cells.Length; e++)
            for (int tone = 0; tone < cells[e].Length; tone++)
            {
                values[e * features + EventLayout.LengthIndex(tone)] = 384;
                values[e * features + EventLayout.FrequencyIndex(tone)] = (float)Tuning.PitchToFrequency(cells[e][tone].Pitch);
                values[e * features + EventLayout.IntensityIndex(tone)] = cells[e][tone].Velocity;
            }
        return tensor(Scaling.Scale(new EncodedSong(tonesPerCell, values))).reshape(1, cells.Length, features);
    }

    internal static (int, int)[] Tone(int pitch) => [(pitch, 80)];

    [Fact]
    public void PitchReadsBackTheMidiPitchOfScaledFrequencies()
    {
        using var events = Events(1, Tone(21), Tone(60), Tone(61), Tone(108));
        using var pitch = new PitchClassFeatures(1, Scaling).Pitch(events[.., .., EventLayout.FrequencyIndex(0)]);
        Assert.Equal(new[] { 21f, 60f, 61f, 108f }, pitch.flatten().data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-3);
    }

    [Fact]
    public void OctavesShareAPointAndAKeysNotesLieOnOneArc()
    {
        // C4, C5, G4, F#4: the octave lands on C's point, the fifth one step of 30 degrees round, the tritone opposite.
        using var events = Events(1, Tone(60), Tone(72), Tone(67), Tone(66));
        using var features = new PitchClassFeatures(1, Scaling).call(events);
        Assert.Equal(new long[] { 1, 4, 2 }, features.shape);
        double Angle(int e) => Math.Atan2(features[0, e, 1].item<float>(), features[0, e, 0].item<float>());
        double Between(int a, int b) => Math.Abs(Math.IEEERemainder(Angle(a) - Angle(b), 2 * Math.PI)) * 180 / Math.PI;
        Assert.Equal(0, Between(0, 1), 2);
        Assert.Equal(30, Between(0, 2), 2);
        Assert.Equal(180, Between(0, 3), 2);
    }

    [Fact]
    public void AbsentTonesOfMultiToneCellsSitAtTheCentre()
    {
        using var events = Events(3, [(60, 80), (64, 80), (0, 0)], [(67, 80), (0, 0), (0, 0)]);
        using var features = new PitchClassFeatures(3, Scaling).call(events);
        Assert.Equal(new long[] { 1, 2, 6 }, features.shape);
        using var radius = features.reshape(2, 3, 2).pow(2).sum(-1).sqrt();
        Assert.Equal(new[] { 1f, 1f, 0f, 1f, 0f, 0f }, radius.flatten().data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public void GeneratedFrequenciesGetAGradientFromTheFeatures()
    {
        using var events = Events(1, Tone(60), Tone(61)).requires_grad_();
        using var features = new PitchClassFeatures(1, Scaling).call(events);
        features[.., .., 1].sum().backward();
        using var grad = events.grad!;
        Assert.True(grad[.., .., EventLayout.FrequencyIndex(0)].abs().min().item<float>() > 0);
        Assert.Equal(0f, grad[.., .., EventLayout.IntensityIndex(0)].abs().max().item<float>());
    }
}
