using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Model;

[Collection(TorchCollection.Name)]
public class PitchClassHeadTests
{
    private static readonly FeatureScaling Scaling = PitchClassFeaturesTests.Scaling;

    public PitchClassHeadTests() => TorchRuntime.EnsureLoaded();

    /// <summary>One step of G's output per (register, pitch class): a one-tone event with the frequency of the
    /// (continuous) register and the pitch class's point on the circle of fifths.</summary>
    private static Tensor Output(params (double Register, int PitchClass)[] steps)
    {
        var rows = new List<float>();
        foreach (var (register, pitchClass) in steps)
        {
            double angle = 2 * Math.PI * 7 * pitchClass / 12;
            double hz = Tuning.A4Frequency * Math.Pow(2, (register - Tuning.A4Pitch) / 12);
            rows.AddRange([Scaling.Length.Forward(384), Scaling.Frequency.Forward(FeatureScaling.WarpFrequency(hz)),
                Scaling.Intensity.Forward(80), Scaling.Time.Forward(0), (float)Math.Cos(angle), (float)Math.Sin(angle)]);
        }
        return tensor(rows.ToArray()).reshape(1, steps.Length, 6);
    }

    private static double[] DecodedPitches(Tensor events)
    {
        using var pitch = ScaledPitch.ToPitch(events[.., .., EventLayout.FrequencyIndex(0)], Scaling.Frequency);
        return pitch.flatten().data<float>().Select(p => (double)p).ToArray();
    }

    /// <summary>The nearest pitch of the class, found by looking at every MIDI pitch.</summary>
    private static int Nearest(double register, int pitchClass) =>
        Enumerable.Range(Tuning.MinPitch, Tuning.MaxPitch - Tuning.MinPitch + 1)
            .Where(p => p % 12 == pitchClass).MinBy(p => Math.Abs(p - register));

    [Theory]
    [InlineData(60.2, 4)]
    [InlineData(60.0, 7)]
    [InlineData(60.0, 0)]
    [InlineData(63.9, 9)]
    [InlineData(30.4, 11)]
    [InlineData(71.6, 1)]
    public void TheWrittenPitchIsTheNearestOfTheClassToTheRegister(double register, int pitchClass)
    {
        using var scope = NewDisposeScope();
        var decoded = new PitchClassHead(1, Scaling).Decode(Output((register, pitchClass)));
        Assert.Equal(new long[] { 1, 1, 4 }, decoded.shape);
        Assert.Equal(Nearest(register, pitchClass), DecodedPitches(decoded)[0], 3);
    }

    [Fact]
    public void APitchTheClassWouldCarryOffTheMidiRangeMovesAnOctaveBack()
    {
        using var scope = NewDisposeScope();
        var decoded = new PitchClassHead(1, Scaling).Decode(Output((126.8, 11), (0.3, 10)));
        Assert.Equal(new[] { 119.0, 10.0 }, DecodedPitches(decoded), (a, b) => Math.Abs(a - b) < 1e-3);
    }

    [Fact]
    public void TheOtherFeaturesPassUnchanged()
    {
        using var scope = NewDisposeScope();
        var output = Output((60.4, 2), (48, 5));
        var decoded = new PitchClassHead(1, Scaling).Decode(output);
        foreach (int index in new[] { EventLayout.LengthIndex(0), EventLayout.IntensityIndex(0), EventLayout.TimeIndex(1) })
            Assert.True(decoded[.., .., index].eq(output[.., .., index]).all().item<bool>(), $"feature {index} changed");
    }

    [Fact]
    public void RealEventsWithTheirPitchClassesDecodeToThemselves()
    {
        using var scope = NewDisposeScope();
        var pitches = Enumerable.Range(21, 88).ToArray();
        var real = PitchClassFeaturesTests.Events(1, pitches.Select(PitchClassFeaturesTests.Tone).ToArray());
        var head = new PitchClassHead(1, Scaling);

        var withClasses = head.WithPitchClasses(real);
        Assert.Equal(new long[] { 1, pitches.Length, 4 + PitchClassHead.OutputsFor(1) }, withClasses.shape);
        Assert.Equal(pitches.Select(p => (double)p).ToArray(), DecodedPitches(head.Decode(withClasses)), (a, b) => Math.Abs(a - b) < 1e-3);
    }

    [Fact]
    public void InMultiToneCellsAnAbsentToneStaysAbsent()
    {
        using var scope = NewDisposeScope();
        // Two tones and an absent one (all zero, as the encoder writes it).
        float[] values = [384, (float)Tuning.PitchToFrequency(60), 80, 192, (float)Tuning.PitchToFrequency(64), 70, 0, 0, 0, 0];
        var real = tensor(Scaling.Scale(new EncodedSong(3, values))).reshape(1, 1, 10);
        var head = new PitchClassHead(3, Scaling);
        var decoded = head.Decode(head.WithPitchClasses(real));
        Assert.True(torch.allclose(decoded, real, rtol: 1e-5, atol: 1e-5), "a real cell with an absent tone came back changed");
    }

    [Fact]
    public void AnOutputOfAnotherWidthIsRefused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => new PitchClassHead(1, Scaling).Decode(torch.zeros(1, 2, 4)));
        Assert.Contains("needs 6", error.Message);
    }

    /// <summary>Through training, checkpoint and sampling: every note written has the class G's outputs say, near G's register.</summary>
    [Fact]
    public void ATrainedGWithAHeadWritesTheClassesItSays()
    {
        var config = TinyRuns.Config(epochs: 2, pretrainEpochs: 1).With("model.pitch_class_head=true");
        string folder = TinyRuns.NewFolder();
        using (var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder))
        {
            trainer.Run();
            Assert.Equal(2, trainer.History.Count);
            Assert.True(double.IsFinite(trainer.History[^1].FeatureMatchingLoss));
        }
        using var model = TrainedModel.Load(folder);
        Assert.Equal(4 + 2, model.Generator.Config.OutputCount);

        using var scope = NewDisposeScope();
        model.Generator.eval();
        torch.manual_seed(5);
        Tensor raw;
        using (no_grad()) raw = model.Generator.Sample(3, 20);
        var songs = model.Generate(3, 20, seed: 5);

        using var registers = ScaledPitch.ToPitch(raw[.., .., EventLayout.FrequencyIndex(0)], model.Scaling.Frequency);
        using var steps = atan2(raw[.., .., 5], raw[.., .., 4]).mul(12 / (2 * Math.PI)).round();
        var register = registers.data<float>().ToArray();
        var said = steps.data<float>().Select(k => ((int)k * 7 % 12 + 12) % 12).ToArray();
        var written = songs.SelectMany(s => Enumerable.Range(0, s.Events.EventCount)
            .Select(e => Tuning.FrequencyToPitch(s.Events.Event(e)[EventLayout.FrequencyIndex(0)]))).ToArray();
        Assert.Equal(said.Length, written.Length);
        for (int i = 0; i < written.Length; i++)
        {
            Assert.Equal(said[i], written[i] % 12);
            Assert.InRange(written[i] - register[i], -6.5, 6.5);
        }
    }
}
