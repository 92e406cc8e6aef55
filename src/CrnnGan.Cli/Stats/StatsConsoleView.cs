using CrnnGan.Cli.Output;
using CrnnGan.Evaluation;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrnnGan.Cli.Stats;

/// <summary>Renders a <see cref="StatsReport"/> as tables: songs (a readable subset of statistics), summary, unreadable files.</summary>
public static class StatsConsoleView
{
    public static void Render(IAnsiConsole console, StatsReport report, int maxRows, bool hasFileOutput)
    {
        if (maxRows > 0 && report.Songs.Count > 0)
            RenderSongs(console, report.Songs, maxRows, hasFileOutput);
        if (!report.Summary.IsEmpty)
            console.Write(SummaryTable(report.Summary));
        if (report.Unreadable.Count > 0)
            console.Write(UnreadableTable(report));
        console.WriteLine(report.CountLine());
    }

    private static void RenderSongs(IAnsiConsole console, IReadOnlyList<SongStatisticsEntry> songs, int maxRows, bool hasFileOutput)
    {
        var table = new Table { Title = new TableTitle($"Statistics per song ({songs.Count})") };
        table.AddColumn("File");
        foreach (string heading in new[] { "Notes", "Span", "Unique", "Scale %" })
            table.AddColumn(new TableColumn(heading).RightAligned());
        table.AddColumn("Best scale");
        foreach (string heading in new[] { "Poly %", "Reps k=2/3/4", "Vel span", "Entropy" })
            table.AddColumn(new TableColumn(heading).RightAligned());
        foreach (var song in songs.Take(maxRows))
            table.AddRow([new Text(song.Name), .. Cells(song.Statistics)]);
        console.Write(table);

        int hidden = songs.Count - maxRows;
        if (hidden > 0)
        {
            string where = hasFileOutput ? "all are in the --csv/--json output" : "use --csv FILE or --json FILE to get them all";
            console.WriteLine($"... and {Counted.Of(hidden, "more song")} not shown ({where}; --max-rows sets how many are shown)");
        }
    }

    /// <summary>Columns: notes, tone span, unique tones, scale consistency, best scale, polyphony, repetitions, intensity span, entropy.</summary>
    private static IEnumerable<IRenderable> Cells(SongStatistics? statistics)
    {
        if (statistics is null)
        {
            yield return new Text("no notes");
            yield break;
        }
        yield return new Text(statistics.NumTones.ToString());
        yield return new Text(statistics.ToneSpan.ToString());
        yield return new Text(statistics.UniqueTones.ToString());
        yield return new Text(StatisticFormat.PercentNumber(statistics.ScaleConsistency));
        yield return new Text(statistics.BestScale);
        yield return new Text(StatisticFormat.PercentNumber(statistics.Polyphony));
        yield return new Text($"{statistics.Repetitions(2)}/{statistics.Repetitions(3)}/{statistics.Repetitions(4)}");
        yield return new Text(statistics.IntensitySpan.ToString());
        yield return new Text(StatisticFormat.Number(statistics.PitchClassEntropy));
    }

    private static Table SummaryTable(StatisticsSummary summary)
    {
        var table = new Table { Title = new TableTitle($"Summary over {Counted.Of(summary.SongCount, "song")} with notes") };
        table.AddColumn("Statistic");
        foreach (string heading in new[] { "Mean", "Median", "Std", "Min", "Max" })
            table.AddColumn(new TableColumn(heading).RightAligned());
        foreach (var statistic in summary.Statistics)
        {
            string Format(double value) => StatisticFormat.Value(statistic.Name, value);
            table.AddRow(new Text(statistic.Name), new Text(Format(statistic.Mean)), new Text(Format(statistic.Median)),
                new Text(Format(statistic.StandardDeviation)), new Text(Format(statistic.Min)), new Text(Format(statistic.Max)));
        }
        return table;
    }

    private static Table UnreadableTable(StatsReport report)
    {
        var table = new Table { Title = new TableTitle($"Unreadable files ({report.Unreadable.Count})") };
        table.AddColumn("File");
        table.AddColumn("Reason");
        foreach (var file in report.Unreadable)
            table.AddRow(new Text(file.Path), new Text(file.Reason));
        return table;
    }
}
