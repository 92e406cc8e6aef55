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

    private static ModelConfig Config(int intervals, int hidden = 9, double dropout = 0.3, int timeGrid = 0, int lookback = 0) =>
        new(4, Hidden: hidden, Layers: 2, Dropout: dropout, PitchChoice: true, TimeChoiceGrid: timeGrid, PitchLookback: lookback, PitchIntervals: intervals);

    [Theory]
    [InlineData("model.pitch_intervals", "model.pitch_intervals=12")]
    [InlineData("model.pitch_intervals", "model.pitch_intervals=128", "model.pitch_class_head=false", "model.pitch_choice=true")]
    [InlineData("model.pitch_intervals", "model.pitch_intervals=-1", "model.pitch_class_head=false", "model.pitch_choice=true")]
    public void SettingsThatCannotGoTogetherAreRefusedByName(string key, params string[] settings)
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With(settings).Validate());
        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData(3, 0, 0)]
    [InlineData(127, 32, 2)]
    public void TheTapesGradientsAreAutogradsGradients(int intervals, int timeGrid, int lookback)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = new Generator(Config(intervals, timeGrid: timeGrid, lookback: lookback));
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    [Fact]
    public void APitchGainsTheScoreOfItsIntervalFromThePreviousPitchAndNoOther()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(6);
        const int at = 4, widest = 2;
        var head = new PitchIntervalScores(hidden: 3, widest, at);
        using (no_grad())
        {
            head.Scores.weight!.zero_();
            head.Scores.bias!.copy_(tensor(new[] { 10f, 20f, 30f, 40f, 50f })); // intervals -2 .. +2
        }
        var raw = zeros(1, at + 128 + 1);
        var previous = zeros(1, at + 128 + 1);
        previous[0, at + 60] = 1;
        var scored = head.AddTo(raw, zeros(1, 3), previous);
        var pitchScores = scored[0, at..(at + 128)];
        Assert.Equal([10f, 20f, 30f, 40f, 50f], pitchScores[58..63].data<float>().ToArray());
        Assert.Equal(0, pitchScores[..58].abs().sum().item<float>());
        Assert.Equal(0, pitchScores[63..].abs().sum().item<float>());
        Assert.Equal(0, scored[0, ..at].abs().sum().item<float>() + scored[0, at + 128].item<float>());
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
