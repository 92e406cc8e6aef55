using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.pitch_intervals</c>: G scores each pitch also by its interval from the previous pitch.</summary>
[Collection(TorchCollection.Name)]
public class PitchIntervalTests
{
    public PitchIntervalTests() => TorchRuntime.EnsureLoaded();

    private static ModelConfig Config(int intervals, int hidden = 9, double dropout = 0.3, int timeGrid = 0, int lookback = 0, int lags = 1,
        bool chords = false) =>
        new(4, Hidden: hidden, Layers: 2, Dropout: dropout, PitchChoice: true, TimeChoiceGrid: timeGrid, PitchLookback: lookback,
            PitchIntervals: intervals, PitchIntervalLags: lags, ChordIntervals: chords);

    [Theory]
    [InlineData("model.pitch_intervals", "model.pitch_intervals=12")]
    [InlineData("model.pitch_intervals", "model.pitch_intervals=128", "model.pitch_class_head=false", "model.pitch_choice=true")]
    [InlineData("model.pitch_intervals", "model.pitch_intervals=-1", "model.pitch_class_head=false", "model.pitch_choice=true")]
    [InlineData("model.pitch_interval_lags", "model.pitch_interval_lags=0", "model.pitch_intervals=12", "model.pitch_class_head=false", "model.pitch_choice=true")]
    [InlineData("model.chord_intervals", "model.chord_intervals=true", "model.pitch_intervals=12", "model.pitch_class_head=false", "model.pitch_choice=true")]
    [InlineData("model.chord_intervals", "model.chord_intervals=true", "model.time_choice=16", "model.pitch_class_head=false", "model.pitch_choice=true")]
    [InlineData("model.pitch_interval_lags", "model.pitch_interval_lags=65", "model.pitch_intervals=12", "model.pitch_class_head=false", "model.pitch_choice=true")]
    public void SettingsThatCannotGoTogetherAreRefusedByName(string key, params string[] settings)
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With(settings).Validate());
        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData(3, 0, 0, 1, false)]
    [InlineData(127, 32, 2, 1, false)]
    [InlineData(5, 32, 0, 4, false)]
    [InlineData(5, 96, 0, 3, true)]
    public void TheTapesGradientsAreAutogradsGradients(int intervals, int timeGrid, int lookback, int lags, bool chords)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = new Generator(Config(intervals, timeGrid: timeGrid, lookback: lookback, lags: lags, chords: chords));
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    [Fact]
    public void APitchGainsTheScoreOfItsIntervalFromThePreviousPitchAndNoOther()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(6);
        const int at = 4, widest = 2;
        var head = new PitchIntervalScores(hidden: 3, widest, lags: 1, at);
        using (no_grad())
        {
            head.Scores.weight!.zero_();
            head.Scores.bias!.copy_(tensor(new[] { 10f, 20f, 30f, 40f, 50f })); // intervals -2 .. +2
        }
        var raw = zeros(1, at + 128 + 1);
        var previous = zeros(1, at + 128 + 1);
        previous[0, at + 60] = 1;
        var scored = head.AddTo(raw, zeros(1, 3), [previous]);
        var pitchScores = scored[0, at..(at + 128)];
        Assert.Equal([10f, 20f, 30f, 40f, 50f], pitchScores[58..63].data<float>().ToArray());
        Assert.Equal(0, pitchScores[..58].abs().sum().item<float>());
        Assert.Equal(0, pitchScores[63..].abs().sum().item<float>());
        Assert.Equal(0, scored[0, ..at].abs().sum().item<float>() + scored[0, at + 128].item<float>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TeacherForcedScoresEqualThoseOfOneStepAtATime(bool chords)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        const int at = 2, outputs = at + 128 + 3, length = 6;
        var head = new PitchIntervalScores(hidden: 5, widest: 9, lags: 3, at, chords);
        var sameOnset = chords ? randint(0, 2, [2, length, 1]).to(float32) : null;
        var raw = randn(2, length, outputs);
        var hidden = randn(2, length, 5);
        var read = zeros(2, length, outputs);
        read[.., .., at..(at + 128)] = nn.functional.one_hot(randint(50, 70, [2, length]), 128).to(float32);
        var all = head.AddTo(raw, hidden, read, sameOnset);
        for (int t = 0; t < length; t++)
        {
            var history = Enumerable.Range(0, t + 1).Select(s => read[.., s]).ToList();
            var step = head.AddTo(raw[.., t], hidden[.., t], history, sameOnset?[.., t]);
            Assert.True(allclose(all[.., t], step, rtol: 1e-5, atol: 1e-5), $"step {t}");
        }
        Assert.False(allclose(all[.., 3], raw[.., 3]), "the scores change");
    }

    /// <summary>A tune of eighth notes walking two semitones up or down, where at random half of its notes have a fifth
    /// above struck with them (time 0 since the note). Whether the next event is that fifth or the tune's next note is
    /// the time's draw; G that draws the time first and scores a chord's tone apart writes the fifth where it drew time 0.
    /// G drawing both at once from one state cannot know which it drew, and writes fifths and steps at either.</summary>
    [Fact]
    public void WithChordIntervalsGWritesTheFifthWhereItDrewAChordTone()
    {
        double with = FifthsAmongChordTones(chords: true);
        double without = FifthsAmongChordTones(chords: false);
        Assert.True(with > 0.75, $"with chord intervals {with:P0} of chord tones are the fifth above");
        Assert.True(with > without + 0.4, $"with {with:P0}, without {without:P0}");
    }

    private static double FifthsAmongChordTones(bool chords)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 32, Layers: 2, Dropout: 0, PitchChoice: true, TimeChoiceGrid: 96,
            PitchIntervals: 12, PitchIntervalLags: 2, ChordIntervals: chords), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        var random = new Random(5);
        Tensor Songs(int songs)
        {
            const int length = 16;
            var values = new float[songs * length * 4];
            for (int s = 0; s < songs; s++)
            {
                int tune = random.Next(48, 73);
                bool fifthNext = false;
                for (int t = 0; t < length; t++)
                {
                    int pitch = fifthNext ? tune + 7 : tune += t == 0 ? 0 : random.Next(2) * 4 - 2;
                    int time = fifthNext || t == 0 ? 0 : 192;
                    fifthNext = !fifthNext && random.Next(2) == 1;
                    int i = (s * length + t) * 4;
                    (values[i], values[i + 1], values[i + 2], values[i + 3]) = (192, (float)Tuning.PitchToFrequency(pitch), 80, time);
                }
            }
            return g.Choices!.WithChoices(tensor(scaling.Scale(new EncodedSong(1, values)), new long[] { songs, length, 4 }));
        }
        ChoicePretraining.Steps(g, optimizer, () => Songs(16), 150);
        using var noGrad = no_grad();
        g.eval();
        var songs = SongSampler.Sample(g, scaling, 1, 40, 16);
        int fifths = 0, chordTones = 0;
        foreach (var song in songs)
            foreach (var onset in song.Notes.GroupBy(n => n.StartTick).Where(o => o.Count() > 1))
            {
                var pitches = onset.Select(n => n.Pitch).Order().ToArray();
                chordTones += pitches.Length - 1;
                fifths += pitches.Zip(pitches.Skip(1), (a, b) => b - a).Count(i => i == 7);
            }
        return chordTones == 0 ? 0 : fifths / (double)chordTones;
    }

    /// <summary>Songs repeat a motif of four random pitches: scoring the interval from the pitch four events back,
    /// "the same as four back" is one score whatever the pitch, and G free running repeats its first four notes.</summary>
    [Fact]
    public void PretrainedOnRepeatedMotifsGWithFourLagsCopiesThePitchFourEventsBack()
    {
        double with = RepeatsAfterPretraining(lags: 4);
        double without = RepeatsAfterPretraining(lags: 1);
        Assert.True(with > 0.6, $"with four lags {with:P0} of notes repeat the pitch four events back");
        Assert.True(with > without + 0.4, $"with {with:P0}, with one lag {without:P0}");
    }

    private static double RepeatsAfterPretraining(int lags) => PitchLookbackTests.RepeatsAfterPretrainingOnMotifs(
        new ModelConfig(4, Hidden: 32, Layers: 2, Dropout: 0, PitchChoice: true, PitchIntervals: 24, PitchIntervalLags: lags), 100);

    /// <summary>Walks of two semitones up or down from a start anywhere in five octaves: with intervals scored, "two
    /// semitones from the last" is one score learnt at every pitch, while G scoring pitches alone must learn each
    /// pitch's two neighbours, and in the same short training steps far less often.</summary>
    [Fact]
    public void PretrainedOnWalksInEveryRegisterGStepsByTwoSemitones()
    {
        double with = StepsAfterPretraining(intervals: 12);
        double without = StepsAfterPretraining(intervals: 0);
        Assert.True(with > 0.8, $"with intervals {with:P0} of intervals are steps of two semitones");
        Assert.True(with > without + 0.3, $"with {with:P0}, without {without:P0}");
    }

    private static double StepsAfterPretraining(int intervals)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 32, Layers: 2, Dropout: 0, PitchChoice: true, PitchIntervals: intervals), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        Tensor Walks(int songs) => g.Choices!.WithChoices(ChoiceHeadTests.EighthNotes(
            randint(0, 2, [songs, 12]).mul(4).sub(2).cumsum(1).add(randint(36, 96, [songs, 1])), scaling));
        ChoicePretraining.Steps(g, optimizer, () => Walks(16), 60);
        using var noGrad = no_grad();
        g.eval();
        var songs = SongSampler.Sample(g, scaling, 1, 20, 12);
        var steps = songs.SelectMany(s => s.Notes.OrderBy(n => n.StartTick).Zip(s.Notes.OrderBy(n => n.StartTick).Skip(1), (a, b) => b.Pitch - a.Pitch)).ToList();
        return steps.Count(i => Math.Abs(i) == 2) / (double)steps.Count;
    }
}
