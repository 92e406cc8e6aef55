using System.Globalization;
using System.Text;
using CrnnGan.Cli.Output;
using CrnnGan.Evaluation;
using CrnnGan.IO;

namespace CrnnGan.Cli.Stats;

/// <summary>
/// One row per song that could be read: path, every statistic of <see cref="StatisticDefinitions.Names"/>, best_scale.
/// A song with no notes has empty statistic cells. Numbers use the invariant culture, fractions 0..1.
/// </summary>
public static class StatsCsvWriter
{
    public static IReadOnlyList<string> Header { get; } = ["path", .. StatisticDefinitions.Names, "best_scale"];

    public static void Write(string path, StatsReport report) =>
        AtomicFile.Write(path, stream => Write(stream, report));

    public static void Write(Stream stream, StatsReport report)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
        writer.NewLine = "\n";
        writer.WriteLine(string.Join(',', Header.Select(Quote)));
        foreach (var song in report.Songs)
            writer.WriteLine(string.Join(',', Row(song).Select(Quote)));
    }

    private static IEnumerable<string> Row(SongStatisticsEntry song)
    {
        yield return song.Path;
        foreach (var definition in StatisticDefinitions.All)
            yield return song.Statistics is { } statistics ? definition.Select(statistics).ToString(CultureInfo.InvariantCulture) : "";
        yield return song.Statistics?.BestScale ?? "";
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"")}\"" : field;
}
