using System.Globalization;
using System.Text;
using System.Text.Json;
using CrnnGan.Cli.Stats;
using CrnnGan.Evaluation;
using CrnnGan.IO;
using Spectre.Console;

namespace CrnnGan.Cli.Compare;

/// <summary>The console table, CSV and JSON of a <see cref="Comparison"/>. CSV and JSON keep fractions as 0..1.</summary>
public static class ComparisonOutputs
{
    public static void RenderTable(IAnsiConsole console, Comparison comparison)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("statistic");
        foreach (var run in comparison.Runs)
            table.AddColumn(new TableColumn(Markup.Escape($"{run.Name}\n({run.Detail})")).RightAligned());
        foreach (var real in comparison.Real)
            table.AddColumn(new TableColumn(Markup.Escape($"{real.Name}\n({real.Statistics.WindowsWithNotes} windows)")).RightAligned());

        foreach (string name in StatisticDefinitions.Names)
        {
            var cells = comparison.Runs.Select(r => r.Means).Concat(comparison.Real.Select(r => r.Statistics.Means))
                .Select(means => means.TryGetValue(name, out double v) ? StatisticFormat.Value(name, v) : "-");
            table.AddRow([Markup.Escape(name), .. cells.Select(Markup.Escape)]);
        }
        console.Write(table);
    }

    /// <summary>One row per run and per real-music reference: <c>name,kind,epoch,events,windows,</c> then every statistic.</summary>
    public static void WriteCsv(string path, Comparison comparison)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", new[] { "name", "kind", "epoch", "events", "windows" }.Concat(StatisticDefinitions.Names)));
        foreach (var run in comparison.Runs)
            text.AppendLine(Row(run.Name, run.Kind, I(run.Epoch), I(run.EventsPerSong), "", run.Means));
        foreach (var real in comparison.Real)
            text.AppendLine(Row(real.Name, "real", "", I(real.Statistics.EventsPerWindow), I(real.Statistics.WindowsWithNotes), real.Statistics.Means));
        AtomicFile.WriteAllText(path, text.ToString());

        static string Row(string name, string kind, string epoch, string events, string windows, IReadOnlyDictionary<string, double> means) =>
            string.Join(",", new[] { Csv(name), kind, epoch, events, windows }.Concat(
                StatisticDefinitions.Names.Select(n => means.TryGetValue(n, out double v) ? v.ToString("R", CultureInfo.InvariantCulture) : "")));
        static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
        static string Csv(string text) => text.IndexOfAny([',', '"', '\n']) < 0 ? text : $"\"{text.Replace("\"", "\"\"")}\"";
    }

    public static void WriteJson(string path, Comparison comparison) => AtomicFile.Write(path, stream =>
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("crnngan_version", ToolVersion.Current);
        json.WriteStartArray("runs");
        foreach (var run in comparison.Runs)
        {
            json.WriteStartObject();
            json.WriteString("name", run.Name);
            json.WriteString("folder", run.Folder);
            json.WriteString("kind", run.Kind);
            json.WriteNumber("epoch", run.Epoch);
            json.WriteNumber("events_per_song", run.EventsPerSong);
            json.WriteNumber("tones_per_cell", run.TonesPerCell);
            WriteMeans(json, run.Means);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("real");
        foreach (var real in comparison.Real)
        {
            var s = real.Statistics;
            json.WriteStartObject();
            json.WriteString("name", real.Name);
            json.WriteString("source", s.Source);
            json.WriteNumber("songs", s.Songs);
            json.WriteNumber("windows", s.WindowsWithNotes);
            json.WriteNumber("events_per_window", s.EventsPerWindow);
            json.WriteNumber("tones_per_cell", s.TonesPerCell);
            WriteMeans(json, s.Means);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static void WriteMeans(Utf8JsonWriter json, IReadOnlyDictionary<string, double> means)
    {
        json.WriteStartObject("statistics");
        foreach (string name in StatisticDefinitions.Names)
        {
            if (means.TryGetValue(name, out double value) && double.IsFinite(value)) json.WriteNumber(name, value);
        }
        json.WriteEndObject();
    }
}
