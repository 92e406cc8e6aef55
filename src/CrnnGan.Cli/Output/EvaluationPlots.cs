using CrnnGan.Evaluation;
using CrnnGan.IO;
using CrnnGan.Midi;
using Spectre.Console;

namespace CrnnGan.Cli.Output;

/// <summary>One PNG per statistic: the density of the generated songs' values over the real segments'.</summary>
public static class EvaluationPlots
{
    public static void Write(CliContext context, SongSetEvaluation evaluation, IEnumerable<IReadOnlyList<Note>> generated,
        IEnumerable<IReadOnlyList<Note>> real, string folder)
    {
        Directory.CreateDirectory(folder);
        var generatedStatistics = SongSetEvaluation.Measure(generated);
        var realStatistics = SongSetEvaluation.Measure(real);
        foreach (var (definition, comparison) in StatisticDefinitions.All.Zip(evaluation.Comparisons))
        {
            var curves = DensityCurves.Of(definition.Name, generatedStatistics.Select(definition.Select).ToList(),
                realStatistics.Select(definition.Select).ToList());
            var plot = new ScottPlot.Plot();
            var realLine = plot.Add.ScatterLine(curves.X, curves.Real);
            realLine.LegendText = $"real segments (n = {comparison.RealCount})";
            realLine.LineWidth = 2;
            var generatedLine = plot.Add.ScatterLine(curves.X, curves.Generated);
            generatedLine.LegendText = $"generated (n = {comparison.GeneratedCount})";
            generatedLine.LineWidth = 2;
            plot.Title($"{definition.Name}: overlapping area {comparison.OverlappingArea:0.000}, KL(real||gen) {comparison.KlDivergence:0.000}");
            plot.XLabel(definition.Name);
            plot.YLabel("density");
            plot.ShowLegend();
            string path = Path.Combine(folder, $"{definition.Name}.png");
            AtomicFile.WriteAllBytes(path, plot.GetImageBytes(1000, 600, ScottPlot.ImageFormat.Png));
        }
        context.Console.WriteLine($"wrote {evaluation.Comparisons.Count} PNGs to {folder}");
    }
}
