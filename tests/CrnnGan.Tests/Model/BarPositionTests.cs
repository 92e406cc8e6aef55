using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.bar_positions</c>: G reads where in the bar its previous onset fell and scores where each time puts the next.</summary>
[Collection(TorchCollection.Name)]
public class BarPositionTests
{
    public BarPositionTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData("model.bar_positions=true")]
    [InlineData("model.bar_positions=true", "model.time_choice=7")]
    public void SettingsThatCannotGoTogetherAreRefusedByName(params string[] settings)
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With(settings).Validate());
        Assert.Equal("model.bar_positions", error.Key);
    }

    [Theory]
    [InlineData(96, false, 0)]
    [InlineData(32, true, 0)]
    [InlineData(96, true, 2)]
    public void TheTapesGradientsAreAutogradsGradients(int grid, bool chords, int lookback)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        var g = new Generator(new ModelConfig(4, Hidden: 9, Layers: 2, Dropout: 0.3, PitchChoice: true, TimeChoiceGrid: grid,
            PitchLookback: lookback, PitchIntervals: chords ? 5 : 0, PitchIntervalLags: 2, ChordIntervals: chords, BarPositions: true));
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    /// <summary>Times of a quarter, an eighth, a dotted quarter and two whole notes from the first onset: positions
    /// 0, 384, 576, 1152 and 1152 again (two bars on), in steps of the 96-tick grid.</summary>
    [Fact]
    public void PositionsCountTheTimesFromTheFirstOnsetAroundTheBar()
    {
        using var scope = NewDisposeScope();
        var (g, scaling) = (new Generator(new ModelConfig(4, Hidden: 5, PitchChoice: true, TimeChoiceGrid: 96, BarPositions: true)), FeatureScaling.Default);
        var events = Events(g, scaling, [999, 384, 192, 576, 3072]);
        var positions = g.Positions!;
        Assert.Equal([0L, 0, 4, 6, 12], positions.PreviousPositions(events)[0].data<long>().ToArray());
        Tensor? position = null;
        var stepwise = new List<long>();
        for (int t = 0; t < 5; t++)
        {
            position = positions.Next(position, events[.., t]);
            stepwise.Add(position[0].item<long>());
        }
        Assert.Equal([0L, 4, 6, 12, 12], stepwise);
    }

    [Fact]
    public void ATimeGainsTheScoreOfThePositionItLandsOn()
    {
        using var scope = NewDisposeScope();
        const int at = 3;
        var positions = new BarPositions(hidden: 2, grid: 384, timeAt: at); // four positions: the beats
        using (no_grad())
        {
            positions.Scores.weight!.zero_();
            positions.Scores.bias!.copy_(tensor(new[] { 10f, 20f, 30f, 40f }));
        }
        var times = ChoiceHead.TimeTicks(384); // 0, 384, 768, 1152, 1536, then 2304, 3072, 4608, 6144
        var raw = zeros(1, at + times.Length + 2);
        var scored = positions.AddTo(raw, zeros(1, 2), tensor(new[] { 3L }));
        var expected = times.Select(t => 10f * (1 + (3 + t / 384) % 4)).ToArray();
        Assert.Equal(expected, scored[0, at..(at + times.Length)].data<float>().ToArray());
        Assert.Equal(0, scored[0, ..at].abs().sum().item<float>() + scored[0, (at + times.Length)..].abs().sum().item<float>());
    }

    [Fact]
    public void TeacherForcedScoresEqualThoseOfOneStepAtATime()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var positions = new BarPositions(hidden: 6, grid: 48, timeAt: 4);
        int entries = ChoiceHead.TimeTicks(48).Length;
        const int length = 7;
        var events = zeros(3, length, 4 + entries + 2);
        events[.., .., 4..(4 + entries)] = nn.functional.one_hot(randint(0, entries, [3, length]), entries).to(float32);
        var raw = randn(3, length, 4 + entries + 2);
        var hidden = randn(3, length, 6);
        var all = positions.AddTo(raw, hidden, positions.PreviousPositions(events), BarPositions.Valid(length, events.device));
        Assert.True(allclose(all[.., 0], raw[.., 0]), "the first step has no previous onset");
        Tensor? position = null;
        for (int t = 0; t < length; t++)
        {
            if (t > 0) Assert.True(allclose(all[.., t], positions.AddTo(raw[.., t], hidden[.., t], position!), rtol: 1e-5, atol: 1e-5), $"step {t}");
            position = positions.Next(position, events[.., t]);
        }
        Assert.False(allclose(all[.., 3], raw[.., 3]), "the scores change");
    }

    /// <summary>Songs whose every beat is one of six figures (a quarter; two eighths; two sixteenths and an eighth; ...):
    /// no figure crosses a beat, so every beat has an onset. Which times may come next depends on where in the beat the
    /// last onset fell, the sum of the times so far modulo a quarter. G reading its position writes onsets on every beat;
    /// G adding times in its LSTM state, in as many steps, misses beats.</summary>
    [Fact]
    public void PretrainedOnFiguresWithinTheBeatGKeepsTheBeat()
    {
        double with = BeatsWithAnOnset(positions: true);
        double without = BeatsWithAnOnset(positions: false);
        Assert.True(with > 0.9, $"with bar positions {with:P0} of beats have an onset");
        Assert.True(with > without + 0.25, $"with {with:P0}, without {without:P0}");
    }

    private static readonly int[][] Figures = [[384], [192, 192], [96, 96, 192], [192, 96, 96], [288, 96], [96, 96, 96, 96]];

    private static double BeatsWithAnOnset(bool positions)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 32, Layers: 2, Dropout: 0, PitchChoice: true, TimeChoiceGrid: 96, BarPositions: positions), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        var random = new Random(5);
        Tensor Songs(int songs)
        {
            const int length = 24;
            var all = new List<Tensor>();
            for (int s = 0; s < songs; s++)
            {
                var times = new List<int> { 0 };
                while (times.Count < length) times.AddRange(Figures[random.Next(Figures.Length)]);
                all.Add(Events(g, scaling, [.. times.Take(length)]));
            }
            return cat(all, dim: 0);
        }
        ChoicePretraining.Steps(g, optimizer, () => Songs(16), 120);
        using var noGrad = no_grad();
        g.eval();
        var songs = SongSampler.Sample(g, scaling, 1, 40, 24);
        int beats = 0, hit = 0;
        foreach (var song in songs)
        {
            var onsets = song.Notes.Select(n => n.StartTick).Distinct().Order().ToArray();
            var heard = onsets.Select(o => o - onsets[0]).ToHashSet();
            for (long beat = 0; beat <= heard.Max(); beat += 384, beats++)
                if (heard.Contains(beat)) hit++;
        }
        return hit / (double)beats;
    }

    /// <summary>One song (1, times, outputs) of eighth-note-long middle Cs at these times since the previous onset, with its one-hots.</summary>
    private static Tensor Events(Generator g, FeatureScaling scaling, int[] times)
    {
        var values = times.SelectMany(t => new[] { 192f, (float)Tuning.PitchToFrequency(60), 80f, t }).ToArray();
        return g.Choices!.WithChoices(tensor(scaling.Scale(new EncodedSong(1, values)), new long[] { 1, times.Length, 4 }));
    }
}
