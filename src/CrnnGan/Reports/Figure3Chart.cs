using CrnnGan.Evaluation;
using CrnnGan.IO;
using ScottPlot;

namespace CrnnGan.Reports;

/// <summary>
/// The paper's Figure 3 for one or more runs: a 2 x 3 grid, one panel per <see cref="PlottedStatistic.Figure3"/>
/// statistic, the mean over G's sampled songs per epoch, and the same statistic of real music as a dashed line.
/// </summary>
public static class Figure3Chart
{
    public const int DefaultWidth = 1200;
    public const int DefaultHeight = 800;

    public static void Save(string path, RunSeries run, int width = DefaultWidth, int height = DefaultHeight) =>
        AtomicFile.WriteAllBytes(path, Render([run], $"{run.Name}: statistics of G's songs per epoch", width, height));

    public static void Save(string path, IReadOnlyList<RunSeries> runs, string title, int width = DefaultWidth, int height = DefaultHeight) =>
        AtomicFile.WriteAllBytes(path, Render(runs, title, width, height));

    /// <summary>PNG bytes. One run: its phases shaded. Several: one colour per run and dotted lines where pretraining ends.</summary>
    public static byte[] Render(IReadOnlyList<RunSeries> runs, string title, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        ChartStyle.EnsureFonts();
        var figure = new Multiplot();
        figure.AddPlots(PlottedStatistic.Figure3.Count);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 3);
        int lastEpoch = runs.Max(r => r.LastEpoch);
        bool single = runs.Count == 1;

        for (int i = 0; i < PlottedStatistic.Figure3.Count; i++)
        {
            var statistic = PlottedStatistic.Figure3[i];
            Plot plot = figure.GetPlot(i);
            plot.Title($"{PlottedStatistic.PanelLetter(i)} {statistic.Title}", size: 16);
            plot.YLabel(statistic.AxisLabel, size: 13);
            if (single) PhaseSpans.Shade(plot, runs[0].Records, withLegend: true);
            else MarkPretrainingEnds(plot, runs);
            AddReferences(plot, runs, statistic);
            for (int r = 0; r < runs.Count; r++)
                AddRun(plot, runs[r], r, statistic, single);
            ChartStyle.EpochAxis(plot, lastEpoch);
            ChartStyle.FitVertically(plot);
            plot.HideLegend();
        }
        return ChartStyle.Png(figure, title, legendOf: figure.GetPlot(0), width, height);
    }

    private static void AddRun(Plot plot, RunSeries run, int index, PlottedStatistic statistic, bool single)
    {
        Color color = single ? ChartStyle.SeriesColor(0) : ChartStyle.SeriesColor(index);
        var (epochs, values) = run.Statistic(statistic);
        if (epochs.Length > 0)
        {
            var line = plot.Add.Scatter(epochs, values, color);
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.LegendText = single ? SampledSongsLabel(run) : run.Name;
        }
    }

    /// <summary>"G's songs (mean of 20 per epoch)"; older stats files may not say how many songs were sampled.</summary>
    private static string SampledSongsLabel(RunSeries run) =>
        run.Records[^1].SampledSongs > 0 ? $"G's songs (mean of {run.Records[^1].SampledSongs} per epoch)" : "G's songs (mean per epoch)";

    /// <summary>A grey dotted line after the last pretraining epoch of each run, once per distinct epoch.</summary>
    private static void MarkPretrainingEnds(Plot plot, IReadOnlyList<RunSeries> runs)
    {
        var ends = runs.Select(r => PhaseSpans.PretrainingEnd(r.Records)).OfType<int>().Distinct().Order().ToList();
        for (int i = 0; i < ends.Count; i++)
        {
            var line = plot.Add.VerticalLine(ends[i] + 0.5, 1.5f, Colors.Gray, LinePattern.Dotted);
            if (i == 0) line.LegendText = "end of G pretraining";
        }
    }

    /// <summary>
    /// One dashed line per distinct real-music reference: grey when there is only one, otherwise in the colour of the
    /// first run that has it, named after every run that shares it (runs trained on the same songs share one).
    /// </summary>
    private static void AddReferences(Plot plot, IReadOnlyList<RunSeries> runs, PlottedStatistic statistic)
    {
        var groups = runs
            .Select((run, index) => (run, index))
            .Where(r => r.run.Reference?.Mean(statistic.Name) is double v && double.IsFinite(v))
            .GroupBy(r => (r.run.Reference!.Source, r.run.Reference.EventsPerWindow, r.run.Reference.TonesPerCell, r.run.Reference.Windows))
            .ToList();
        foreach (var group in groups)
        {
            var (first, index) = group.First();
            var reference = first.Reference!;
            Color color = groups.Count == 1 ? ChartStyle.RealMusic : ChartStyle.SeriesColor(index);
            var line = plot.Add.HorizontalLine(reference.Mean(statistic.Name)!.Value * statistic.Factor, 2, color, LinePattern.Dashed);
            line.LegendText = groups.Count == 1
                ? $"real music ({reference.WindowsWithNotes} windows of {reference.EventsPerWindow} events)"
                : $"real music of {string.Join(", ", group.Select(r => r.run.Name))}";
        }
    }
}
