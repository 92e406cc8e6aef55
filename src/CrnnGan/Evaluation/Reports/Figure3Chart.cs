using ScottPlot;

namespace CrnnGan.Evaluation.Reports;

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

    /// <summary>PNG bytes. One run: its phases shaded. Several: one colour per run and a dotted line where each one's pretraining ends.</summary>
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
            line.LegendText = single ? $"G's songs (mean of {run.Records[^1].SampledSongs} per epoch)" : run.Name;
        }
        if (!single && PhaseSpans.PretrainingEnd(run.Records) is int end)
        {
            var boundary = plot.Add.VerticalLine(end + 0.5, 1, color, LinePattern.Dotted);
            boundary.LegendText = index == 0 ? "end of pretraining" : "";
        }
    }

    /// <summary>
    /// One dashed line per distinct reference: a single grey line when all runs share their real music,
    /// otherwise one in each run's colour.
    /// </summary>
    private static void AddReferences(Plot plot, IReadOnlyList<RunSeries> runs, PlottedStatistic statistic)
    {
        var references = runs
            .Select((run, index) => (run, index, value: run.Reference?.Mean(statistic.Name) * statistic.Factor))
            .Where(r => r.value is double v && double.IsFinite(v))
            .ToList();
        if (references.Count == 0) return;
        bool shared = references.Select(r => Math.Round(r.value!.Value, 9)).Distinct().Count() == 1;
        foreach (var (run, index, value) in shared ? references.Take(1) : references)
        {
            Color color = shared ? ChartStyle.RealMusic : ChartStyle.SeriesColor(index);
            var line = plot.Add.HorizontalLine(value!.Value, 2, color, LinePattern.Dashed);
            line.LegendText = shared
                ? $"real music ({run.Reference!.WindowsWithNotes} windows of {run.Reference.EventsPerWindow} events)"
                : $"real music of {run.Name}";
        }
    }
}
