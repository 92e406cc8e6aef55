namespace CrnnGan.Evaluation;

/// <summary>
/// One statistic over a set of songs. <see cref="StandardDeviation"/> is the population standard deviation
/// (divides by Count), so a single song gives 0 rather than an undefined value.
/// </summary>
public sealed record StatisticSummary(
    string Name,
    int Count,
    double Mean,
    double Median,
    double StandardDeviation,
    double Min,
    double Max)
{
    /// <summary>Summary of a non-empty set of values.</summary>
    public static StatisticSummary Of(string name, IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            throw new ArgumentException("Cannot summarise an empty set of values.", nameof(values));

        double[] sorted = values.Order().ToArray();
        int n = sorted.Length;
        double mean = sorted.Average();
        double variance = sorted.Sum(value => (value - mean) * (value - mean)) / n;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new StatisticSummary(name, n, mean, median, Math.Sqrt(variance), sorted[0], sorted[^1]);
    }
}

/// <summary>
/// Every statistic summarised over a set of songs, in <see cref="StatisticDefinitions.All"/> order.
/// An empty set gives <see cref="SongCount"/> 0 and no statistics (never NaN).
/// </summary>
public sealed record StatisticsSummary(int SongCount, IReadOnlyList<StatisticSummary> Statistics)
{
    public static StatisticsSummary Empty { get; } = new(0, []);

    public bool IsEmpty => SongCount == 0;

    /// <summary>The summary of the named statistic, or null if the set was empty or the name is unknown.</summary>
    public StatisticSummary? Find(string name) => Statistics.FirstOrDefault(summary => summary.Name == name);

    public static StatisticsSummary Summarize(IEnumerable<SongStatistics> songs)
    {
        ArgumentNullException.ThrowIfNull(songs);
        SongStatistics[] all = songs.ToArray();
        if (all.Length == 0)
            return Empty;

        var statistics = StatisticDefinitions.All
            .Select(definition => StatisticSummary.Of(definition.Name, Array.ConvertAll(all, s => definition.Select(s))))
            .ToArray();
        return new StatisticsSummary(all.Length, statistics);
    }
}
