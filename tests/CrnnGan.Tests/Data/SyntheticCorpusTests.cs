using CrnnGan.Data;
using CrnnGan.Evaluation;

namespace CrnnGan.Tests.Data;

/// <summary>The built-in corpus: scales, arpeggios and chords in a key, with the dynamics and harmony of real music.</summary>
public class SyntheticCorpusTests
{
    private static readonly IReadOnlyList<CrnnGan.Midi.MidiSong> Songs = SyntheticCorpus.Generate(60, seed: 4);

    [Fact]
    public void TheSameSeedMakesTheSameSongs() =>
        Assert.Equal(Songs.Select(s => s.Notes), SyntheticCorpus.Generate(60, seed: 4).Select(s => s.Notes));

    [Fact]
    public void SongsDifferInTheirDynamics()
    {
        var spans = Songs.Select(s => s.Notes.Max(n => n.Velocity) - s.Notes.Min(n => n.Velocity)).ToList();
        Assert.Contains(spans, span => span < 15);
        Assert.Contains(spans, span => span > 30);
        Assert.True(spans.Distinct().Count() >= 15, $"velocity spans: {string.Join(", ", spans)}");
    }

    /// <summary>Every song keeps to its key, but minor ones raise the leading tone in the dominant chord (harmonic
    /// minor) while their scale runs keep the natural minor: eight pitch classes, as often in real minor-key music.</summary>
    [Fact]
    public void SongsKeepToTheirKey_MinorOnesWithTheLeadingToneOfTheDominant()
    {
        var statistics = Songs.Select(s => SongStatistics.Compute(s)!).ToList();
        Assert.All(statistics, s => Assert.True(s.ScaleConsistency >= 0.9, $"{s.BestScale}: {s.ScaleConsistency}"));
        Assert.Contains(statistics, s => s.ScaleConsistency == 1);
        Assert.Contains(statistics, s => s.ScaleConsistency < 1);
    }
}
