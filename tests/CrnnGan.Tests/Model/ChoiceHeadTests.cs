using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.pitch_choice</c> and <c>model.time_choice</c>: G draws pitch and time from tables of scores.</summary>
[Collection(TorchCollection.Name)]
public class ChoiceHeadTests
{
    public ChoiceHeadTests() => TorchRuntime.EnsureLoaded();

    private static ModelConfig Config(bool pitch = true, int timeGrid = 0, int hidden = 9, int layers = 2, double dropout = 0.3, int lengthGrid = 0) =>
        new(4, Hidden: hidden, Layers: layers, Dropout: dropout, PitchChoice: pitch, TimeChoiceGrid: timeGrid, LengthChoiceGrid: lengthGrid);

    [Theory]
    [InlineData(true, 0, 128)]
    [InlineData(false, 96, 21)] // 0, 96, ..., 1536 and four longer times
    [InlineData(true, 16, 128 + 97 + 4)]
    [InlineData(true, 16, 128 + 97 + 4 + 96 + 4, 16)] // lengths: 16 to 1536, and four longer
    public void GEmitsAScorePerTableEntry(bool pitch, int grid, int scores, int lengthGrid = 0)
    {
        var config = Config(pitch, grid, lengthGrid: lengthGrid);
        Assert.Equal(scores, config.ChoiceCount);
        Assert.Equal(4 + scores, config.OutputCount);
    }

    [Theory]
    [InlineData("model.pitch_choice", "model.pitch_choice=true", "model.pitch_class_head=true")]
    [InlineData("model.pitch_choice", "model.pitch_choice=true", "model.pitch_class_head=false", "model.tones_per_cell=3", "model.song_velocity=false", "model.fixed_velocity_spread=false")]
    [InlineData("model.time_choice", "model.time_choice=48", "model.time_grid=96")]
    [InlineData("model.time_choice", "model.time_choice=500")]
    [InlineData("losses.pretrain_samples", "model.time_choice=48", "losses.pretrain_samples=4")]
    public void SettingsThatCannotGoTogetherAreRefusedByName(string key, params string[] settings)
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With(settings).Validate());
        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(true, 32)]
    [InlineData(false, 32, 48)]
    public void TheTapesGradientsAreAutogradsGradientsThroughTheDraws(bool pitch, int grid, int lengthGrid = 0)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = new Generator(Config(pitch, grid, lengthGrid: lengthGrid));
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    [Fact]
    public void EachStepWritesATableValueAndItsOneHot()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = new Generator(Config(true, 96));
        var head = g.Choices!;
        using var noGrad = no_grad();
        var emitted = g.Sample(6, 10);
        var pitchScores = emitted[.., .., 4..132];
        var timeScores = emitted[.., .., 132..];
        Assert.True(pitchScores.sum(-1).eq(1).all().item<bool>() && timeScores.sum(-1).eq(1).all().item<bool>());
        Assert.True(pitchScores.max(-1).values.eq(1).all().item<bool>());
        var pitchTable = tensor(head.Columns[0].Table);
        var timeTable = tensor(head.Columns[1].Table);
        Assert.True(emitted[.., .., 1].eq(pitchTable[pitchScores.argmax(-1)]).all().item<bool>(), "the frequency is the chosen pitch's");
        Assert.True(emitted[.., .., 3].eq(timeTable[timeScores.argmax(-1)]).all().item<bool>(), "the time is the chosen entry's");
    }

    [Fact]
    public void SampledSongsHaveWholePitchesAndTimesAndLengthsOnTheGrid()
    {
        torch.manual_seed(6);
        using var g = new Generator(Config(true, 96, lengthGrid: 48));
        var songs = SongSampler.Sample(g, FeatureScaling.Default, 1, 5, 20);
        var allowed = ChoiceHead.TimeTicks(96).ToHashSet();
        var lengths = ChoiceHead.LengthTicks(48).ToHashSet();
        var events = songs.SelectMany(s => Enumerable.Range(0, s.Events.EventCount).Select(e => s.Events.Event(e).ToArray())).ToList();
        Assert.Equal(100, events.Count);
        foreach (var e in events)
        {
            double pitch = 69 + 12 * Math.Log2(e[EventLayout.FrequencyIndex(0)] / 440.0);
            Assert.True(Math.Abs(pitch - Math.Round(pitch)) < 0.01, $"pitch {pitch} is not a semitone");
            Assert.Contains((int)Math.Round(e[EventLayout.TimeIndex(1)]), allowed);
            Assert.Contains((int)Math.Round(e[EventLayout.LengthIndex(0)]), lengths);
            Assert.True(Math.Abs(e[EventLayout.TimeIndex(1)] - Math.Round(e[EventLayout.TimeIndex(1)])) < 0.01);
        }
    }

    /// <summary>The Gumbel-max draw picks each entry as often as the softmax of the scores says.</summary>
    [Fact]
    public void DrawsFollowTheSoftmaxOfTheScores()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        var head = ChoiceHead.For(Config(), FeatureScaling.Default)!;
        const int draws = 20_000;
        var raw = zeros(draws, 4 + 128);
        raw[.., 4 + 60] = 2.0f;
        raw[.., 4 + 62] = 1.0f; // the rest 0: p(60) = e^2 / (e^2 + e + 126)
        var gumbel = rand(draws, 128).clamp_(1e-7, 1 - 1e-7).log_().neg_().log_().neg_();
        var counts = head.Step(raw, head.NoisyScores(raw, gumbel))[.., 4..].sum(0L);
        double z = Math.Exp(2) + Math.Exp(1) + 126;
        Assert.Equal(Math.Exp(2) / z, counts[60].item<float>() / draws, 2);
        Assert.Equal(Math.Exp(1) / z, counts[62].item<float>() / draws, 2);
        Assert.Equal(1 / z, counts[61].item<float>() / draws, 2);
    }

    [Fact]
    public void RealEventsGetTheOneHotOfTheirNearestEntryAndDecodeBack()
    {
        using var scope = NewDisposeScope();
        var scaling = FeatureScaling.Default;
        var head = ChoiceHead.For(Config(true, 96), scaling)!;
        var song = new EncodedSong(1, [384, (float)Tuning.PitchToFrequency(64), 90, 0, 192, (float)Tuning.PitchToFrequency(67), 80, 100]);
        var real = tensor(scaling.Scale(song), new long[] { 1, 2, 4 });
        var withChoices = head.WithChoices(real);
        Assert.Equal(new long[] { 1, 2, 4 + 128 + 21 }, withChoices.shape);
        Assert.Equal(64, withChoices[0, 0, 4..132].argmax().item<long>());
        Assert.Equal(67, withChoices[0, 1, 4..132].argmax().item<long>());
        Assert.Equal(0, withChoices[0, 0, 132..].argmax().item<long>()); // time 0
        Assert.Equal(1, withChoices[0, 1, 132..].argmax().item<long>()); // 100 ticks: nearest is 96
        var decoded = scaling.Unscale(head.Decode(withChoices).data<float>().ToArray(), 1);
        Assert.Equal(Tuning.PitchToFrequency(67), decoded.Event(1)[1], 2);
        Assert.Equal(96, decoded.Event(1)[3], 2);
    }

    /// <summary>Each next pitch is two semitones up or down at random: the choice head's cross-entropy teaches G to
    /// draw both steps, where the mean squared error teaches it the average of the two, a repeated pitch.</summary>
    [Fact]
    public void PretrainedByCrossEntropyGStepsUpAndDownInsteadOfRepeating()
    {
        var (steps, up) = StepsAfterPretraining(pitchChoice: true);
        Assert.True(steps > 0.6, $"{steps:P0} of intervals are steps of two semitones");
        Assert.InRange(up, 0.25, 0.75);
        var (mseSteps, _) = StepsAfterPretraining(pitchChoice: false);
        Assert.True(mseSteps < 0.3, $"the plain MSE's G: {mseSteps:P0} of intervals are steps of two semitones");
    }

    private static (double Steps, double Up) StepsAfterPretraining(bool pitchChoice)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var scaling = FeatureScaling.Default;
        var g = new Generator(Config(pitch: pitchChoice, hidden: 32, dropout: 0), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        Tensor Walks(int songs)
        {
            var events = EighthNotes(randint(0, 2, [songs, 12]).mul(4).sub(2).cumsum(1).add(60), scaling);
            return g.Choices?.WithChoices(events) ?? events;
        }
        for (int step = 0; step < 200; step++)
        {
            using var stepScope = NewDisposeScope();
            var real = Walks(16);
            optimizer.zero_grad();
            var guessed = g.TeacherForced(real);
            (g.Choices?.NextEventLoss(guessed, real) ?? nn.functional.mse_loss(guessed, real)).backward();
            optimizer.step();
        }
        using var noGrad = no_grad();
        g.eval();
        var songs = SongSampler.Sample(g, scaling, 1, 20, 12);
        var intervals = songs.SelectMany(s => s.Notes.OrderBy(n => n.StartTick).Zip(s.Notes.OrderBy(n => n.StartTick).Skip(1), (a, b) => b.Pitch - a.Pitch)).ToList();
        return (intervals.Count(i => Math.Abs(i) == 2) / (double)intervals.Count, intervals.Count(i => i == 2) / (double)intervals.Count);
    }

    /// <summary>Songs of eighth notes at velocity 80 with the given MIDI pitches (songs, events), scaled: (songs, events, 4).</summary>
    internal static Tensor EighthNotes(Tensor pitches, FeatureScaling scaling)
    {
        var hz = pow(2.0, (pitches.to(float32) - 69) / 12.0) * 440;
        var events = zeros(pitches.shape[0], pitches.shape[1], 4);
        events[.., .., 0] = scaling.Length.Forward(192);
        events[.., .., 1] = ((log2(hz / FeatureScaling.FrequencyWarpReferenceHz + 1) - scaling.Frequency.Offset) / scaling.Frequency.Scale).to(float32);
        events[.., .., 2] = scaling.Intensity.Forward(80);
        events[.., .., 3] = scaling.Time.Forward(192);
        return events;
    }

    [Fact]
    public void AGeneratorFileKeepsTheChoices()
    {
        torch.manual_seed(9);
        var scaling = FeatureScaling.Default;
        using var g = new Generator(Config(true, 48));
        string folder = Directory.CreateTempSubdirectory("crnngan-choice").FullName;
        try
        {
            var config = TinyRuns.Config().With("model.pitch_class_head=false", "model.pitch_choice=true", "model.time_choice=48",
                "model.hidden=9", "model.layers=2", "model.dropout=0.3", "model.song_noise=0", "model.song_velocity=false", "model.fixed_velocity_spread=false");
            Assert.Equal(g.Config, config.Networks);
            string path = Path.Combine(folder, "g.bin");
            GeneratorFile.Save(path, g, new GeneratorFileHeader { Config = config, ScalingJson = scaling.ToJson(), EpochsTrained = 1 });
            var (_, loaded) = GeneratorFile.Load(path);
            using (loaded)
            {
                torch.manual_seed(2);
                var before = SongSampler.Sample(g, scaling, 1, 3, 16).SelectMany(s => s.Notes).ToList();
                torch.manual_seed(2);
                var after = SongSampler.Sample(loaded, scaling, 1, 3, 16).SelectMany(s => s.Notes).ToList();
                Assert.Equal(before, after);
                Assert.NotNull(loaded.Choices);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
