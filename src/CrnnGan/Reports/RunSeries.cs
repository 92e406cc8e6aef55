using CrnnGan.Evaluation;
using CrnnGan.Training;

namespace CrnnGan.Reports;

/// <summary>What the charts draw of one training run: its name, its stats.csv rows and, if it has one, its real-music reference.</summary>
public sealed record RunSeries(string Name, IReadOnlyList<EpochRecord> Records, ReferenceStatistics? Reference)
{
    public int LastEpoch => Records.Count == 0 ? 0 : Records.Max(r => r.Epoch);

    /// <summary>(epoch, value) pairs of a column, left out where the value is NaN or infinite.</summary>
    public (double[] Epochs, double[] Values) Series(Func<EpochRecord, double> select, double factor = 1)
    {
        var points = Records.Select(r => (Epoch: (double)r.Epoch, Value: select(r) * factor)).Where(p => double.IsFinite(p.Value)).ToList();
        return (points.Select(p => p.Epoch).ToArray(), points.Select(p => p.Value).ToArray());
    }

    public (double[] Epochs, double[] Values) Statistic(PlottedStatistic statistic) =>
        Series(r => r.Statistics.TryGetValue(statistic.Name, out double v) ? v : double.NaN, statistic.Factor);
}
