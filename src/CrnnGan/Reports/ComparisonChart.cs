using CrnnGan.Evaluation;
using CrnnGan.IO;
using ScottPlot;

namespace CrnnGan.Reports;

/// <summary>One bar group member of <see cref="ComparisonChart"/>: a run's last-epoch means, or real music's.</summary>
public sealed record ComparedSeries(string Name, IReadOnlyDictionary<string, double> Means, bool IsRealMusic);

/// <summary>
/// Runs side by side against real music: one panel per <see cref="PlottedStatistic.Figure3"/> statistic, a bar per
/// series (runs in colour, real music in grey), each bar labelled with its value.
/// </summary>
public static class ComparisonChart
{
    private static readonly Color[] RealMusicShades = [Color.FromHex("#7F7F7F"), Color.FromHex("#B0B0B0"), Color.FromHex("#4D4D4D")];

    public static void Save(string path, IReadOnlyList<ComparedSeries> series, string title,
        int width = Figure3Chart.DefaultWidth, int height = Figure3Chart.DefaultHeight) =>
        AtomicFile.WriteAllBytes(path, Render(series, title, width, height));

    public static byte[] Render(IReadOnlyList<ComparedSeries> series, string title,
        int width = Figure3Chart.DefaultWidth, int height = Figure3Chart.DefaultHeight)
    {
        ArgumentOutOfRangeException.ThrowIfZero(series.Count);
        ChartStyle.EnsureFonts();
        var colors = Colors(series);
        var figure = new Multiplot();
        figure.AddPlots(PlottedStatistic.Figure3.Count);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 3);
        for (int i = 0; i < PlottedStatistic.Figure3.Count; i++)
        {
            var statistic = PlottedStatistic.Figure3[i];
            Plot plot = figure.GetPlot(i);
            plot.Title($"{PlottedStatistic.PanelLetter(i)} {statistic.Title}", size: 16);
            plot.YLabel(statistic.AxisLabel, size: 13);
            var bars = new List<Bar>();
            for (int s = 0; s < series.Count; s++)
            {
                if (!series[s].Means.TryGetValue(statistic.Name, out double mean) || !double.IsFinite(mean)) continue;
                double value = mean * statistic.Factor;
                bars.Add(new Bar { Position = s, Value = value, FillColor = colors[s], Label = value.ToString("0.#"), LineWidth = 0 });
            }
            if (bars.Count > 0)
            {
                var barPlot = plot.Add.Bars(bars);
                barPlot.ValueLabelStyle.FontSize = 12;
            }
            else
            {
                plot.Add.Annotation("no values", Alignment.MiddleCenter);
            }
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([], []);
            plot.Axes.Bottom.MajorTickStyle.Length = 0;
            plot.Axes.SetLimitsX(-0.6, series.Count - 0.4);
            plot.Axes.Margins(bottom: 0, top: 0.18);
            plot.Axes.AutoScaleY();
            plot.HideGrid();
        }
        Legend(figure.GetPlot(0), series, colors);
        return ChartStyle.Png(figure, title, legendOf: figure.GetPlot(0), width, height);
    }

    private static Color[] Colors(IReadOnlyList<ComparedSeries> series)
    {
        int run = 0, real = 0;
        return series.Select(s => s.IsRealMusic ? RealMusicShades[real++ % RealMusicShades.Length] : ChartStyle.SeriesColor(run++)).ToArray();
    }

    /// <summary>Legend entries for the bars (bar plots have none of their own per bar).</summary>
    private static void Legend(Plot plot, IReadOnlyList<ComparedSeries> series, Color[] colors)
    {
        for (int s = 0; s < series.Count; s++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name, FillColor = colors[s] });
    }
}
