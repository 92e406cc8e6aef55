using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.song_progress</c>: G reads its song's traits over the events so far and how much of it is read.</summary>
[Collection(TorchCollection.Name)]
public class SongProgressTests
{
    public SongProgressTests() => TorchRuntime.EnsureLoaded();

    private static readonly FeatureScaling Scaling = FeatureScaling.Default;

    [Fact]
    public void WithoutSongTraitsItIsRefusedByName()
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With("model.song_progress=true").Validate());
        Assert.Equal("model.song_progress", error.Key);
    }

    /// <summary>Events with times, lengths, pitches and velocities of every kind, chords among them.</summary>
    private static Tensor MixedEvents(int songs, int length)
    {
        var events = ChoiceHeadTests.EighthNotes(randint(40, 90, [songs, length]), Scaling);
        var times = tensor(new double[] { 0, 0, 96, 144, 192, 384, 390, 1536 }.Select(t => (float)Scaling.Time.Forward(t)).ToArray());
        events[.., .., EventLayout.TimeIndex(1)] = times[randint(8, [songs, length])];
        events[.., .., EventLayout.LengthIndex(0)] = Scaling.Length.Forward(40) + rand(songs, length) * (Scaling.Length.Forward(1500) - Scaling.Length.Forward(40));
        events[.., .., EventLayout.IntensityIndex(0)] = Scaling.Intensity.Forward(30) + rand(songs, length) * (Scaling.Intensity.Forward(120) - Scaling.Intensity.Forward(30));
        return events;
    }

    /// <summary>Step t's progress is the traits of the song's first t events, as G's traits of a window are measured,
    /// normalised alike; and t / length.</summary>
    [Fact]
    public void EachStepReadsTheTraitsOfTheEventsBeforeIt()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        var events = MixedEvents(3, 12);
        var table = GeneratorSongTraits.EmptyTable(new ModelConfig(4, SongTraits: true));
        table[SongTraits.TableRows, ..SongTraits.Count] = rand(SongTraits.Count); // a mean and spread of its own
        table[SongTraits.TableRows + 1, ..SongTraits.Count] = rand(SongTraits.Count) + 0.5;
        var progress = SongProgress.Before(events, table, Scaling);
        Assert.Equal(new long[] { 3, 12, SongProgress.Count }, progress.shape);
        Assert.Equal(0f, progress[.., 0].abs().sum().item<float>()); // nothing read yet
        for (int t = 1; t < 12; t++)
        {
            var expected = SongTraits.Normalise(table[.., ..SongTraits.Count], SongTraits.Of(events[.., ..t], Scaling)).clamp(-SongProgress.Limit, SongProgress.Limit);
            Assert.True(allclose(progress[.., t, ..SongTraits.Count], expected, rtol: 1e-4, atol: 1e-4),
                $"step {t}: largest difference {(progress[.., t, ..SongTraits.Count] - expected).abs().max().item<float>()}");
            Assert.Equal(t / 12f, progress[0, t, SongTraits.Count].item<float>(), 5);
        }
    }

    [Fact]
    public void RunningSumsOneEventAtATimeGiveWhatTeacherForcingReads()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(6);
        var events = MixedEvents(2, 9);
        var table = GeneratorSongTraits.EmptyTable(new ModelConfig(4, SongTraits: true));
        var all = SongProgress.Before(events, table, Scaling);
        var sums = zeros(2, SongProgress.SumCount);
        for (int t = 0; t < 9; t++)
        {
            Assert.True(allclose(all[.., t], SongProgress.Of(sums, table, 9), rtol: 1e-5, atol: 1e-5), $"step {t}");
            sums = sums + SongProgress.Sums(events[.., t].unsqueeze(1), Scaling).squeeze(1);
        }
    }

    [Fact]
    public void FreeRunningGReadsTheProgressOfItsOwnEvents()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var g = new Generator(new ModelConfig(4, Hidden: 9, Layers: 2, PitchChoice: true, TimeChoiceGrid: 96, LengthChoiceGrid: 48,
            VelocityChoice: true, SongTraits: true, SongProgress: true), Scaling);
        g.SetSongTraits(MixedEvents(40, 12));
        var (events, tape) = g.SampleWithTape(3, 10);
        var read = stack(tape.Progress, dim: 1);
        var expected = SongProgress.Before(events, g.SongTraitTable(), Scaling);
        Assert.True(allclose(read, expected, rtol: 1e-4, atol: 1e-4), $"largest difference {(read - expected).abs().max().item<float>()}");
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(96, true)]
    public void TheTapesGradientsAreAutogradsGradients(int timeGrid, bool figures)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = new Generator(new ModelConfig(4, Hidden: 9, Layers: 2, Dropout: 0.3, PitchChoice: true, TimeChoiceGrid: timeGrid,
            FigureMemory: figures, SongTraits: true, SongProgress: true));
        g.train();
        if (figures)
            using (no_grad()) // G draws mostly C4 and D4, so that the 7 steps of the check repeat pitches and use the figure memory
                g.Linears.Output.bias![TensorIndex.Slice(g.PitchOneHotOffset + 60, g.PitchOneHotOffset + 63, 2)].add_(8);
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }
}
