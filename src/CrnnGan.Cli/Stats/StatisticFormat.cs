using System.Globalization;

namespace CrnnGan.Cli.Stats;

/// <summary>How the console tables show statistic values. CSV and JSON keep full precision and fractions as 0..1.</summary>
public static class StatisticFormat
{
    private static readonly HashSet<string> Fractions = new(StringComparer.Ordinal) { "scale_consistency", "polyphony" };

    public static string Value(string statisticName, double value) =>
        Fractions.Contains(statisticName) ? Percent(value) : Number(value);

    public static string Percent(double fraction) => PercentNumber(fraction) + "%";

    public static string PercentNumber(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
