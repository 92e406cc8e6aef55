using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.onset_intervals</c>: G scores each pitch also by its intervals from the highest and the lowest
/// pitch of the previous onset.</summary>
[Collection(TorchCollection.Name)]
public class OnsetIntervalTests
{
    public OnsetIntervalTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void WithoutChordIntervalsTheSettingIsRefusedByName()
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With("model.pitch_class_head=false",
            "model.pitch_choice=true", "model.pitch_intervals=12", "model.time_choice=16", "model.onset_intervals=true").Validate());
        Assert.Equal("model.onset_intervals", error.Key);
        TinyRuns.Config().With("model.pitch_class_head=false", "model.pitch_choice=true", "model.pitch_intervals=12", "model.time_choice=16",
            "model.chord_intervals=true", "model.onset_intervals=true").Validate();
    }

    /// <summary>Events of a pitch and whether each joins the onset of the one before: 60+64+67, 62+55, 70.</summary>
    private static readonly (int Pitch, bool Joins)[] Events = [(60, false), (64, true), (67, true), (62, false), (55, true), (70, false)];

    private const int TimeAt = 128;

    private static Tensor Event(int pitch, bool joins)
    {
        var e = zeros(1, TimeAt + 3);
        e[0, pitch] = 1;
        e[0, TimeAt + (joins ? 0 : 2)] = 1;
        return e;
    }

    [Theory]
    [InlineData(6, 16, false, 70, 70)]  // a new onset: the previous is the last event's, 70 alone
    [InlineData(6, 16, true, 62, 55)]   // joining 70: the previous onset is 62 + 55
    [InlineData(5, 16, false, 62, 55)]
    [InlineData(5, 16, true, 67, 60)]   // joining 62 + 55: the one before, 60 + 64 + 67
    [InlineData(3, 16, true, -1, -1)]   // joining the song's first onset: none before it
    [InlineData(2, 16, false, 64, 60)]
    [InlineData(5, 2, false, 62, 55)]   // the window holds 62 + 55 whole (62 starts an onset)
    [InlineData(5, 2, true, -1, -1)]    // the onset before 62 lies outside the window
    [InlineData(5, 1, false, -1, -1)]   // 55 alone: its onset may reach farther back
    public void TheReferencesAreTheHighestAndLowestPitchOfThePreviousOnset(int read, int window, bool joins, long highest, long lowest)
    {
        using var scope = NewDisposeScope();
        var references = new OnsetReferences(0, 128, TimeAt, 3, window);
        var events = Events.Take(read).Select(e => Event(e.Pitch, e.Joins)).ToList();
        var found = references.Of(events, tensor(new[] { joins ? 1f : 0f }).reshape(1, 1));
        Assert.Equal((highest, lowest), (found.Highest[0], found.Lowest[0]));
    }

    [Fact]
    public void TeacherForcedScoresEqualThoseOfOneStepAtATime()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        const int at = 2, timeAt = at + 128, outputs = timeAt + 4, length = 12;
        var head = new PitchIntervalScores(hidden: 5, widest: 9, lags: 3, at, chords: true, onsetTimes: (timeAt, 4));
        var without = new PitchIntervalScores(hidden: 5, widest: 9, lags: 3, at, chords: true);
        var read = zeros(2, length, outputs);
        read[.., .., at..(at + 128)] = nn.functional.one_hot(randint(50, 70, [2, length]), 128).to(float32);
        var times = randint(0, 2, [2, length]); // 0: joins the previous onset
        read[.., .., timeAt..(timeAt + 4)] = nn.functional.one_hot(times, 4).to(float32);
        var sameOnset = times.roll(-1, 1).eq(0).to(float32).unsqueeze(-1); // step t writes the event read at t + 1
        var raw = randn(2, length, outputs);
        var hidden = randn(2, length, 5);
        var all = head.AddTo(raw, hidden, read, sameOnset);
        for (int t = 0; t < length; t++)
        {
            var history = Enumerable.Range(0, t + 1).Select(s => read[.., s]).ToList();
            var step = head.AddTo(raw[.., t], hidden[.., t], history, sameOnset[.., t]);
            Assert.True(allclose(all[.., t], step, rtol: 1e-5, atol: 1e-5), $"step {t}");
        }
        using (no_grad())
        {
            // Each set is three lags then the two references, 19 intervals each: the same lags without the references.
            without.Scores.weight!.copy_(head.Scores.weight!.reshape(2, 5 * 19, 5)[.., ..(3 * 19)].reshape(-1, 5));
            without.Scores.bias!.copy_(head.Scores.bias!.reshape(2, 5 * 19)[.., ..(3 * 19)].reshape(-1));
        }
        Assert.False(allclose(all, without.AddTo(raw, hidden, read, sameOnset), atol: 1e-4), "the references add to the scores");
    }

    [Fact]
    public void TheTapesGradientsAreAutogradsGradients()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = new Generator(new ModelConfig(4, Hidden: 9, Layers: 2, Dropout: 0.3, PitchChoice: true, TimeChoiceGrid: 96,
            PitchIntervals: 5, PitchIntervalLags: 2, ChordIntervals: true, OnsetIntervals: true));
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    /// <summary>A tune walking two semitones up or down from onset to onset, each of its notes written first (from
    /// the top) with zero to two tones a third to a sixth below it. With one lag G sees only the event before, often a
    /// tone under the last note; the previous onset's highest pitch is the tune's last note however many tones came
    /// between.</summary>
    [Fact]
    public void GWithOnsetIntervalsStepsAlongTheTuneAcrossTheChordsBelowIt()
    {
        double with = TuneStepsAfterPretraining(onsets: true);
        double without = TuneStepsAfterPretraining(onsets: false);
        Assert.True(with > 0.85, $"with onset intervals {with:P0} of the top line's intervals are steps of two semitones");
        Assert.True(with > without + 0.2, $"with {with:P0}, without {without:P0}");
    }

    private static double TuneStepsAfterPretraining(bool onsets)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 32, Layers: 2, Dropout: 0, PitchChoice: true, TimeChoiceGrid: 96,
            PitchIntervals: 12, PitchIntervalLags: 1, ChordIntervals: true, OnsetIntervals: onsets), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        var random = new Random(5);
        const int length = 24;
        Tensor Songs(int songs)
        {
            var values = new float[songs * length * 4];
            for (int s = 0; s < songs; s++)
            {
                int tune = random.Next(55, 80), below = 0;
                for (int t = 0; t < length; t++)
                {
                    bool chordTone = below > 0;
                    int pitch = chordTone ? tune - random.Next(3, 10) : tune += t == 0 ? 0 : random.Next(2) * 4 - 2;
                    below = chordTone ? below - 1 : random.Next(2);
                    int i = (s * length + t) * 4;
                    (values[i], values[i + 1], values[i + 2], values[i + 3]) = (192, (float)Tuning.PitchToFrequency(pitch), 80, chordTone || t == 0 ? 0 : 192);
                }
            }
            return g.Choices!.WithChoices(tensor(scaling.Scale(new EncodedSong(1, values)), new long[] { songs, length, 4 }));
        }
        ChoicePretraining.Steps(g, optimizer, () => Songs(16), 150);
        using var noGrad = no_grad();
        g.eval();
        var songs = SongSampler.Sample(g, scaling, 1, 40, length);
        var steps = songs.SelectMany(s =>
        {
            var top = s.Notes.GroupBy(n => n.StartTick).OrderBy(o => o.Key).Select(o => o.Max(n => n.Pitch)).ToArray();
            return top.Zip(top.Skip(1), (a, b) => b - a);
        }).ToList();
        return steps.Count(i => Math.Abs(i) == 2) / (double)steps.Count;
    }
}
