using System.Globalization;
using CrnnGan.Cli.Output;
using CrnnGan.Data;
using CrnnGan.Evaluation;

namespace CrnnGan.Cli.Stats;

/// <summary>One song's statistics, null when it has no notes.</summary>
public sealed record SongStatisticsEntry(string Name, string Path, SongStatistics? Statistics)
{
    public bool HasNotes => Statistics is not null;
}

/// <summary>Everything <c>crnngan stats</c> found: per-song statistics in input order, their summary, and unreadable files.</summary>
public sealed record StatsReport(
    bool IsSynthetic,
    IReadOnlyList<SongStatisticsEntry> Songs,
    IReadOnlyList<SkippedFile> Unreadable,
    TimeSpan Elapsed)
{
    public StatisticsSummary Summary { get; } =
        StatisticsSummary.Summarize(Songs.Where(song => song.HasNotes).Select(song => song.Statistics!));

    public int SongsWithNotes => Summary.SongCount;

    /// <summary>E.g. "read 12 files (11 with notes) in 0.52 s (23.1 files/s); 1 unreadable".</summary>
    public string CountLine()
    {
        var invariant = CultureInfo.InvariantCulture;
        string seconds = Elapsed.TotalSeconds.ToString("0.00", invariant);
        if (IsSynthetic)
            return $"generated {Counted.Of(Songs.Count, "song")} ({SongsWithNotes} with notes) in {seconds} s";

        int attempted = Songs.Count + Unreadable.Count;
        string rate = (attempted / Math.Max(Elapsed.TotalSeconds, 1e-6)).ToString("0.0", invariant);
        return $"read {Counted.Of(Songs.Count, "file")} ({SongsWithNotes} with notes) in {seconds} s ({rate} files/s); {Unreadable.Count} unreadable";
    }
}
