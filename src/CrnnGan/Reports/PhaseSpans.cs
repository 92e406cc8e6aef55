using CrnnGan.Evaluation;
using CrnnGan.Training;
using ScottPlot;

namespace CrnnGan.Reports;

/// <summary>Shades the epochs of G's pretraining and of D's pretraining, so a chart shows where adversarial training starts.</summary>
internal static class PhaseSpans
{
    public static void Shade(Plot plot, IReadOnlyList<EpochRecord> records, bool withLegend)
    {
        Shade(plot, records, TrainingPhase.Pretraining, ChartStyle.GeneratorPretraining, withLegend ? "G pretraining (next-event MSE)" : null);
        Shade(plot, records, TrainingPhase.DiscriminatorPretraining, ChartStyle.DiscriminatorPretraining, withLegend ? "D pretraining" : null);
    }

    /// <summary>The last epoch of G's pretraining when adversarial epochs follow it, else null.</summary>
    public static int? PretrainingEnd(IReadOnlyList<EpochRecord> records)
    {
        var pretraining = records.Where(r => r.Phase == TrainingPhase.Pretraining).Select(r => r.Epoch).ToList();
        return pretraining.Count > 0 && records.Any(r => r.Phase != TrainingPhase.Pretraining) ? pretraining.Max() : null;
    }

    private static void Shade(Plot plot, IReadOnlyList<EpochRecord> records, TrainingPhase phase, Color color, string? label)
    {
        var epochs = records.Where(r => r.Phase == phase).Select(r => r.Epoch).ToList();
        if (epochs.Count == 0) return;
        var span = plot.Add.HorizontalSpan(epochs.Min() - 0.5, epochs.Max() + 0.5, color);
        span.LineWidth = 0;
        if (label is not null) span.LegendText = label;
        plot.MoveToBack(span);
    }
}
