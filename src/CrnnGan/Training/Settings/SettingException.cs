namespace CrnnGan.Training;

/// <summary>
/// A setting that cannot be used, named by its key (e.g. <c>losses.fm_spread</c>). The message reads
/// "<see cref="Key"/> <see cref="Problem"/>", so that a command line can put its own name for the setting in front.
/// </summary>
public sealed class SettingException(string key, string problem) : ArgumentException($"{key} {problem}")
{
    public string Key { get; } = key;

    /// <summary>What is wrong, after the setting's name: "must be 1 to 8192, got 0".</summary>
    public string Problem { get; } = problem;
}

/// <summary>Range checks that name the setting's key and the allowed range.</summary>
internal static class SettingRules
{
    public static void Require(bool ok, string key, string problem)
    {
        if (!ok) throw new SettingException(key, problem);
    }

    public static void InRange(int value, int min, int max, string key) =>
        Require(value >= min && value <= max, key, value < min ? $"must be at least {min}, got {value}" : $"must be at most {max}, got {value}");

    public static void AtLeastZero(double value, string key) =>
        Require(value >= 0 && double.IsFinite(value), key, $"must be 0 or more, got {Show(value)}");

    public static void Positive(double value, string key) =>
        Require(value > 0 && double.IsFinite(value), key, $"must be positive, got {Show(value)}");

    public static string Show(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
