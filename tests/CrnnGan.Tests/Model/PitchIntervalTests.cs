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

    private static ModelConfig Config(int intervals, int hidden = 9, double dropout = 0.3, int timeGrid = 0, int lookback = 0, int lags = 1) =>
        new(4, Hidden: hidden, Layers: 2, Dropout: dropout, PitchChoice: true, TimeChoiceGrid: timeGrid, PitchLookback: lookback,
            PitchIntervals: intervals, PitchIntervalLags: lags);

    [Theory]
    [InlineData("model.pitch_intervals", "model.pitch_intervals=12")]
    [InlineData("model.pitch_intervals", "model.pitch_intervals=128", "model.pitch_class_head=false", "model.pitch_choice=true")]
    [InlineData("model.pitch_intervals", "model.pitch_intervals=-1", "model.pitch_class_head=false", "model.pitch_choice=true")]
    [InlineData("model.pitch_interval_lags", "model.pitch_interval_lags=0", "model.pitch_intervals=12", "model.pitch_class_head=false", "model.pitch_choice=true")]
    [InlineData("model.pitch_interval_lags", "model.pitch_interval_lags=65", "model.pitch_intervals=12", "model.pitch_class_head=false", "model.pitch_choice=true")]
    public void SettingsThatCannotGoTogetherAreRefusedByName(string key, params string[] settings)
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With(settings).Validate());
        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData(3, 0, 0, 1)]
    [InlineData(127, 32, 2, 1)]
    [InlineData(5, 32, 0, 4)]
    public void TheTapesGradientsAreAutogradsGradients(int intervals, int timeGrid, int lookback, int lags)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = new Generator(Config(intervals, timeGrid: timeGrid, lookback: lookback, lags: lags));
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

    [Fact]
    public void TeacherForcedScoresEqualThoseOfOneStepAtATime()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        const int at = 2, outputs = at + 128 + 3, length = 6;
        var head = new PitchIntervalScores(hidden: 5, widest: 9, lags: 3, at);
        var raw = randn(2, length, outputs);
        var hidden = randn(2, length, 5);
        var read = zeros(2, length, outputs);
        read[.., .., at..(at + 128)] = nn.functional.one_hot(randint(50, 70, [2, length]), 128).to(float32);
        var all = head.AddTo(raw, hidden, read);
        for (int t = 0; t < length; t++)
        {
            var history = Enumerable.Range(0, t + 1).Select(s => read[.., s]).ToList();
            var step = head.AddTo(raw[.., t], hidden[.., t], history);
            Assert.True(allclose(all[.., t], step, rtol: 1e-5, atol: 1e-5), $"step {t}");
        }
        Assert.False(allclose(all[.., 3], raw[.., 3]), "the scores change");
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

    private static double RepeatsAfterPretraining(int lags)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 32, Layers: 2, Dropout: 0, PitchChoice: true, PitchIntervals: 24, PitchIntervalLags: lags), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        Tensor Motifs(int songs) => g.Choices!.WithChoices(ChoiceHeadTests.EighthNotes(randint(48, 73, [songs, 4]).repeat(1, 4), scaling));
        for (int step = 0; step < 100; step++)
        {
            using var stepScope = NewDisposeScope();
            var real = Motifs(16);
            optimizer.zero_grad();
            g.Choices!.NextEventLoss(g.TeacherForced(real), real).backward();
            optimizer.step();
        }
        using var noGrad = no_grad();
        g.eval();
        var songs = SongSampler.Sample(g, scaling, 1, 20, 16);
        int repeats = 0, steps = 0;
        foreach (var song in songs)
        {
            int[] pitches = song.Notes.OrderBy(n => n.StartTick).Select(n => n.Pitch).ToArray();
            for (int t = 4; t < pitches.Length; t++, steps++)
                if (pitches[t] == pitches[t - 4]) repeats++;
        }
        return repeats / (double)steps;
    }

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
        for (int step = 0; step < 60; step++)
        {
            using var stepScope = NewDisposeScope();
            var real = Walks(16);
            optimizer.zero_grad();
            g.Choices!.NextEventLoss(g.TeacherForced(real), real).backward();
            optimizer.step();
        }
        using var noGrad = no_grad();
        g.eval();
        var songs = SongSampler.Sample(g, scaling, 1, 20, 12);
        var steps = songs.SelectMany(s => s.Notes.OrderBy(n => n.StartTick).Zip(s.Notes.OrderBy(n => n.StartTick).Skip(1), (a, b) => b.Pitch - a.Pitch)).ToList();
        return steps.Count(i => Math.Abs(i) == 2) / (double)steps.Count;
    }
}
