namespace CrnnGan.Evaluation;

/// <summary>A numeric song statistic: its snake_case name and how to read it from <see cref="SongStatistics"/>.</summary>
public sealed record StatisticDefinition(string Name, Func<SongStatistics, double> Select);

/// <summary>The one ordered list of statistics that tables, CSV/JSON output and training logs share.</summary>
public static class StatisticDefinitions
{
    public static IReadOnlyList<StatisticDefinition> All { get; } = BuildAll();

    public static IReadOnlyList<string> Names { get; } = All.Select(definition => definition.Name).ToArray();

    public static StatisticDefinition? Find(string name) => All.FirstOrDefault(definition => definition.Name == name);

    private static StatisticDefinition[] BuildAll()
    {
        var head = new StatisticDefinition[]
        {
            new("num_tones", s => s.NumTones),
            new("tone_min", s => s.ToneMin),
            new("tone_max", s => s.ToneMax),
            new("tone_span", s => s.ToneSpan),
            new("unique_tones", s => s.UniqueTones),
            new("scale_consistency", s => s.ScaleConsistency),
            new("polyphony", s => s.Polyphony),
        };
        var repetitions = RepetitionCounts.Ks.Select(k =>
            new StatisticDefinition($"repetitions_{k}", s => s.Repetitions(k)));
        var tail = new StatisticDefinition[]
        {
            new("intensity_min", s => s.IntensityMin),
            new("intensity_max", s => s.IntensityMax),
            new("intensity_span", s => s.IntensitySpan),
            new("pitch_class_entropy", s => s.PitchClassEntropy),
        };
        return [.. head, .. repetitions, .. tail];
    }
}
