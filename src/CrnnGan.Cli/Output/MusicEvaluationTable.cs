using System.Globalization;
using CrnnGan.Evaluation;
using Spectre.Console;

namespace CrnnGan.Cli.Output;

/// <summary>The musical features' table and the classifier two-sample test's verdict, as <c>evaluate</c> prints them.</summary>
public static class MusicEvaluationTable
{
    private const int GiveAwaysShown = 8;

    public static void Render(IAnsiConsole console, MusicEvaluation music)
    {
        var table = new Table { Title = new TableTitle("What a listener hears: musical features (time in quarter notes, pitch in semitones)") };
        foreach (string heading in new[] { "Group", "Feature", "Generated mean", "std", "Real mean", "std", "Overlap", "KL(real||gen)" })
            table.AddColumn(heading == "Group" || heading == "Feature" ? new TableColumn(heading) : new TableColumn(heading).RightAligned());
        FeatureGroup? previous = null;
        foreach (var c in music.Features)
        {
            var group = MusicEvaluation.GroupOf(c.Statistic);
            table.AddRow(group == previous ? "" : group.ToString().ToLowerInvariant(), c.Statistic, F(c.GeneratedMean), F(c.GeneratedStd),
                F(c.RealMean), F(c.RealStd), F3(c.OverlappingArea), F3(c.KlDivergence));
            previous = group;
        }
        console.Write(table);
        var worst = music.WorstFeature;
        console.WriteLine($"mean overlapping area over the {music.Features.Count} musical features: {F3(music.Features.Average(c => c.OverlappingArea))}; lowest: {worst.Statistic} {F3(worst.OverlappingArea)}");

        if (music.Realism is not { } realism)
        {
            console.WriteLine("classifier two-sample test: left out (it needs at least 5 songs with notes on each side)");
            return;
        }
        console.WriteLine($"classifier two-sample test: accuracy {F3(realism.Accuracy)} (95% interval {F3(realism.Lower)}-{F3(realism.Upper)}), " +
            $"{realism.PerSide} generated songs and {realism.PerSide} real ones (one segment per song), {realism.Folds}-fold; 0.5 = a classifier cannot tell them apart, 1 = it always can");
        if (music.RealAgainstReal is { } anchor)
            console.WriteLine($"the same test between two halves of the real songs: accuracy {F3(anchor.Accuracy)} ({F3(anchor.Lower)}-{F3(anchor.Upper)}), {anchor.PerSide} a side: " +
                "what the classifier finds where there is nothing to find");
        var shown = realism.GiveAways.Take(GiveAwaysShown).Where(g => g.Importance > 0)
            .Select(g => $"{g.Feature} {g.Importance.ToString("0%", CultureInfo.InvariantCulture)}");
        console.WriteLine($"what tells them apart most (share of the classifier's gain): {string.Join(", ", shown)}");
    }

    private static string F3(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString(Math.Abs(value) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);
}
