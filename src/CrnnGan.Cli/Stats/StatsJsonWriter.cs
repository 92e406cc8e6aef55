using System.Text.Json;
using CrnnGan.Cli.Output;
using CrnnGan.Evaluation;
using CrnnGan.IO;

namespace CrnnGan.Cli.Stats;

/// <summary>
/// Writes a <see cref="StatsReport"/> as indented JSON: counts, then "files" (each with every statistic by name,
/// or null statistics when it has no notes), "summary" (per statistic count/mean/median/std/min/max) and "unreadable".
/// </summary>
public static class StatsJsonWriter
{
    public static void Write(string path, StatsReport report) =>
        AtomicFile.Write(path, stream => Write(stream, report));

    public static void Write(Stream stream, StatsReport report)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("crnngan_version", ToolVersion.Current);
        json.WriteString("source", report.IsSynthetic ? "synthetic" : "files");
        json.WriteNumber("files_read", report.Songs.Count);
        json.WriteNumber("files_with_notes", report.SongsWithNotes);
        json.WriteNumber("files_unreadable", report.Unreadable.Count);
        json.WriteNumber("seconds", Math.Round(report.Elapsed.TotalSeconds, 3));

        json.WriteStartArray("files");
        foreach (var song in report.Songs)
            WriteSong(json, song);
        json.WriteEndArray();

        WriteSummary(json, report.Summary);

        json.WriteStartArray("unreadable");
        foreach (var file in report.Unreadable)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteString("reason", file.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSong(Utf8JsonWriter json, SongStatisticsEntry song)
    {
        json.WriteStartObject();
        json.WriteString("path", song.Path);
        json.WriteString("name", song.Name);
        if (song.Statistics is { } statistics)
        {
            json.WriteStartObject("statistics");
            foreach (var (name, value) in statistics.ToNamedValues())
                json.WriteNumber(name, value);
            json.WriteEndObject();
            json.WriteString("best_scale", statistics.BestScale);
        }
        else
        {
            json.WriteNull("statistics");
            json.WriteNull("best_scale");
        }
        json.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter json, StatisticsSummary summary)
    {
        json.WriteStartObject("summary");
        json.WriteNumber("song_count", summary.SongCount);
        json.WriteStartObject("statistics");
        foreach (var statistic in summary.Statistics)
        {
            json.WriteStartObject(statistic.Name);
            json.WriteNumber("count", statistic.Count);
            json.WriteNumber("mean", statistic.Mean);
            json.WriteNumber("median", statistic.Median);
            json.WriteNumber("std", statistic.StandardDeviation);
            json.WriteNumber("min", statistic.Min);
            json.WriteNumber("max", statistic.Max);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
