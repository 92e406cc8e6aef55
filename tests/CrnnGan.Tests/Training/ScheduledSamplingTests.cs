using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Training;

/// <summary><c>losses.scheduled_sampling</c>: G reads a share of its own draws in place of real events while pretraining.</summary>
[Collection(TorchCollection.Name)]
public class ScheduledSamplingTests
{
    public ScheduledSamplingTests() => TorchRuntime.EnsureLoaded();

    private static Generator ChoosingG() => new(new ModelConfig(4, Hidden: 12, Layers: 2, Dropout: 0, PitchChoice: true, TimeChoiceGrid: 96));

    /// <summary>Real events as G reads them: random pitches and times on the table, their one-hots appended.</summary>
    private static Tensor Real(Generator g, int songs, int events)
    {
        var pitches = randint(40, 80, new long[] { songs, events }).to(ScalarType.Float32);
        var hz = pitches.sub(69).div(12).exp2().mul(440);
        var values = stack([full(songs, events, 200f), hz, full(songs, events, 80f), randint(0, 4, new long[] { songs, events }).to(ScalarType.Float32).mul(96)], dim: -1);
        var scaled = values.clone();
        var flat = scaled.data<float>().ToArray();
        FeatureScaling.Default.ScaleInPlace(flat, 1);
        return g.Choices!.WithChoices(tensor(flat, scaled.shape));
    }

    [Fact]
    public void DrawingFromTeacherForcedScoresWritesTableValuesWithTheirOneHots_AsTheSoftmaxSays()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(11);
        var g = ChoosingG();
        var head = g.Choices!;
        var raw = zeros(400, 50, g.Config.OutputCount);
        raw[.., .., 4 + 60] = 3.0f; // pitch 60 with probability e^3 / (e^3 + 127)
        var drawn = head.Draw(raw);

        Assert.Equal(new long[] { 400, 50, 4 + 128 + 21 }, drawn.shape);
        var pitchHots = drawn[.., .., 4..132];
        Assert.True(pitchHots.sum(-1).eq(1).all().item<bool>());
        var pitchTable = tensor(head.Columns[0].Table);
        Assert.True(drawn[.., .., 1].eq(pitchTable[pitchHots.argmax(-1)]).all().item<bool>(), "the frequency is the drawn pitch's");
        double share60 = pitchHots[.., .., 60].mean().item<float>();
        double expected = Math.Exp(3) / (Math.Exp(3) + 127);
        Assert.InRange(share60, expected - 0.01, expected + 0.01); // 20000 draws: a standard error of 0.0024
    }

    [Fact]
    public void AShareOfTheEventsGReadsAreItsOwnDraws_TheRestStayReal()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(12);
        var g = ChoosingG();
        var real = Real(g, 64, 30);

        var none = OwnDraws.Mix(g, real, 0);
        Assert.True(none.equal(real).all().item<bool>());

        var mixed = OwnDraws.Mix(g, real, 0.4);
        var changed = mixed.ne(real).any(-1);
        double share = changed.to(ScalarType.Float32).mean().item<float>();
        // An untrained G draws pitches about evenly: a draw equal to the real event is rare.
        Assert.InRange(share, 0.35, 0.45);
        var hots = mixed[.., .., 4..132];
        Assert.True(hots.sum(-1).eq(1).all().item<bool>(), "every read event, real or drawn, has one pitch");
        Assert.True(mixed[.., .., 0].eq(real[.., .., 0]).logical_or(changed).all().item<bool>());
    }

    [Fact]
    public void PretrainingWithOwnDrawsLearns_AndDiffersFromPretrainingWithout()
    {
        var plain = TinyRuns.Config(epochs: 12, pretrainEpochs: 12).With("run.mode=baseline", "optimisation.adam=true", "optimisation.learning_rate=0.003",
            "optimisation.batch=10", "model.pitch_choice=true", "model.pitch_class_head=false", "model.time_choice=96", "model.tones_per_cell=1",
            "model.song_velocity=false", "model.fixed_velocity_spread=false");
        var own = plain.With("losses.scheduled_sampling=0.3");
        var songs = SyntheticCorpus.Generate(110, seed: 1);
        TrainingData Data() => TrainingData.FromSongs("synthetic", songs.Take(100).ToList(), songs.Skip(100).ToList(), 1, plain.Length);
        using var withDraws = GanTrainer.Start(own, Data(), TinyRuns.NewFolder());
        double before = withDraws.ValidationMse();
        withDraws.Run();
        using var without = GanTrainer.Start(plain, Data(), TinyRuns.NewFolder());
        without.Run();

        double after = withDraws.History[^1].ValidationMse;
        Assert.True(after < 0.8 * before, $"validation loss went from {before} to {after}");
        Assert.NotEqual(without.History[^1].ValidationMse, after);
    }

    [Theory]
    [InlineData("losses.scheduled_sampling=0.3")] // G says its values as numbers: there is nothing to draw
    [InlineData("model.pitch_choice=true", "model.pitch_class_head=false", "model.tones_per_cell=1", "model.song_velocity=false", "model.fixed_velocity_spread=false", "losses.scheduled_sampling=1")]
    [InlineData("model.pitch_choice=true", "model.pitch_class_head=false", "model.tones_per_cell=1", "model.song_velocity=false", "model.fixed_velocity_spread=false", "losses.scheduled_sampling=-0.1")]
    public void ScheduledSamplingIsRefusedByNameWhereItCannotWork(params string[] settings)
    {
        var error = Assert.Throws<SettingException>(() => TinyRuns.Config().With(settings).Validate());
        Assert.Equal("losses.scheduled_sampling", error.Key);
    }
}
