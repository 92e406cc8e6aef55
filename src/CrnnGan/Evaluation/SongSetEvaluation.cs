using CrnnGan.Midi;

namespace CrnnGan.Evaluation;

/// <summary>Generated songs measured against real segments, statistic by statistic.</summary>
public sealed record SongSetEvaluation(int GeneratedSongs, int RealSegments, IReadOnlyList<DistributionComparison> Comparisons)
{
    /// <summary>The statistics of the paper's Figure 3.</summary>
    public static IReadOnlyList<string> PaperStatistics { get; } =
        ["scale_consistency", "tone_span", "unique_tones", "intensity_span", "polyphony", "repetitions_3"];

    /// <summary>Mean overlapping area over <see cref="PaperStatistics"/>: one number for "how real does it measure".</summary>
    public double MeanPaperOverlap => Comparisons.Where(c => PaperStatistics.Contains(c.Statistic)).Average(c => c.OverlappingArea);

    /// <summary>Songs with no notes have no statistics and are left out (and counted out) on both sides.</summary>
    public static SongSetEvaluation Compare(IEnumerable<IReadOnlyList<Note>> generated, IEnumerable<IReadOnlyList<Note>> real) =>
        Compare(Measure(generated), Measure(real));

    /// <summary>As above, for songs already measured (<see cref="Measure"/>), e.g. a real side compared many times.</summary>
    public static SongSetEvaluation Compare(IReadOnlyList<SongStatistics> generatedStatistics, IReadOnlyList<SongStatistics> realStatistics)
    {
        if (generatedStatistics.Count == 0) throw new ArgumentException("none of the generated songs has notes");
        if (realStatistics.Count == 0) throw new ArgumentException("none of the real segments has notes");
        var comparisons = StatisticDefinitions.All
            .Select(d => DistributionComparison.Compare(d.Name,
                generatedStatistics.Select(d.Select).ToList(), realStatistics.Select(d.Select).ToList()))
            .ToList();
        return new SongSetEvaluation(generatedStatistics.Count, realStatistics.Count, comparisons);
    }

    /// <summary>The statistics of the songs that have notes.</summary>
    public static IReadOnlyList<SongStatistics> Measure(IEnumerable<IReadOnlyList<Note>> songs) =>
        songs.Select(SongStatistics.Compute).OfType<SongStatistics>().ToList();
}
