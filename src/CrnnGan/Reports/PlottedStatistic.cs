using CrnnGan.Evaluation;

namespace CrnnGan.Reports;

/// <summary>A statistic as a chart shows it: which one, a title, the axis label with its unit, and a factor (100 for %).</summary>
public sealed record PlottedStatistic(string Name, string Title, string AxisLabel, double Factor = 1)
{
    /// <summary>The paper's Figure 3 statistics, in the order of the panels (a) to (f).</summary>
    public static IReadOnlyList<PlottedStatistic> Figure3 { get; } =
    [
        new("scale_consistency", "scale consistency", "% of tones in the best scale", 100),
        new("tone_span", "tone span", "semitones (highest - lowest)"),
        new("unique_tones", "unique tones", "distinct pitches per song"),
        new("intensity_span", "intensity span", "MIDI velocity (loudest - softest)"),
        new("polyphony", "polyphony", "% of onsets with 2+ tones", 100),
        new("repetitions_3", "3-tone repetitions", "repeats per song"),
    ];

    public static string PanelLetter(int index) => $"({(char)('a' + index)})";
}
