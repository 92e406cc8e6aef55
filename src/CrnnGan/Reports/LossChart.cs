using CrnnGan.Evaluation;
using CrnnGan.IO;
using CrnnGan.Training;
using ScottPlot;

namespace CrnnGan.Reports;

/// <summary>
/// A run's losses per epoch in two panels: the adversarial losses (G, D, feature matching, and G and D on the
/// validation songs) above, the next-event MSE (training during pretraining, validation) below; pretraining shaded.
/// </summary>
public static class LossChart
{
    public static void Save(string path, RunSeries run, int width = Figure3Chart.DefaultWidth, int height = Figure3Chart.DefaultHeight) =>
        AtomicFile.WriteAllBytes(path, Render(run, width, height));

    public static byte[] Render(RunSeries run, int width = Figure3Chart.DefaultWidth, int height = Figure3Chart.DefaultHeight)
    {
        ChartStyle.EnsureFonts();
        var figure = new Multiplot();
        figure.AddPlots(2);
        figure.Layout = new ScottPlot.MultiplotLayouts.Rows();

        Plot adversarial = figure.GetPlot(0);
        adversarial.Title("(a) adversarial losses (natural log)", size: 16);
        adversarial.YLabel("loss per batch", size: 13);
        Panel(adversarial, run,
        [
            ("G: -log D(G(z))", r => r.GeneratorLoss, LinePattern.Solid, 0, false),
            ("D: -log D(x) - log(1 - D(G(z)))", r => r.DiscriminatorLoss, LinePattern.Solid, 1, false),
            ("G: feature matching (right axis)", r => r.FeatureMatchingLoss, LinePattern.Solid, 2, true),
            ("G on validation songs", r => r.ValidationGeneratorLoss, LinePattern.Dashed, 0, false),
            ("D on validation songs", r => r.ValidationDiscriminatorLoss, LinePattern.Dashed, 1, false),
        ], emptyNote: "no adversarial epochs");

        Plot mse = figure.GetPlot(1);
        mse.Title("(b) G's next-event prediction", size: 16);
        mse.YLabel("MSE of scaled features", size: 13);
        Panel(mse, run,
        [
            ("training MSE (teacher forced)", r => r.MseLoss, LinePattern.Solid, 3, false),
            ("validation MSE", r => r.ValidationMse, LinePattern.Dashed, 3, false),
        ], emptyNote: "no MSE recorded");

        return ChartStyle.Png(figure, $"{run.Name}: losses per epoch", legendOf: null, width, height);
    }

    /// <param name="lines">Lines on the right axis have their own scale: feature matching sums squared differences over
    /// every step and feature, hundreds of times the log losses, which would flatten them.</param>
    private static void Panel(Plot plot, RunSeries run,
        (string Label, Func<EpochRecord, double> Select, LinePattern Pattern, int Color, bool RightAxis)[] lines, string emptyNote)
    {
        PhaseSpans.Shade(plot, run.Records, withLegend: true);
        bool any = false;
        foreach (var (label, select, pattern, color, rightAxis) in lines)
        {
            var (epochs, values) = run.Series(select);
            if (epochs.Length == 0) continue;
            var line = plot.Add.Scatter(epochs, values, ChartStyle.SeriesColor(color));
            if (rightAxis)
            {
                line.Axes.YAxis = plot.Axes.Right;
                plot.Axes.Right.Label.Text = "feature matching";
            }
            line.LegendText = label;
            line.LinePattern = pattern;
            line.LineWidth = 2;
            line.MarkerSize = 6;
            any = true;
        }
        if (!any) plot.Add.Annotation(emptyNote, Alignment.MiddleCenter);
        ChartStyle.EpochAxis(plot, run.LastEpoch);
        ChartStyle.FitVertically(plot);
        plot.ShowLegend(Edge.Right);
        plot.Legend.SymbolWidth = 36; // long enough to show which lines are dashed
        // The same margins in both panels, so their epoch axes line up whatever their legends' widths.
        plot.Layout.Fixed(new PixelPadding(left: 80, right: 320, bottom: 50, top: 36));
    }
}
