using System.Globalization;

namespace CrnnGan.Model;

/// <summary>"0.85,pitch=0.6": one value without a name and values of their own for features G chooses from tables, as
/// <see cref="NoiseScales.Parse"/> and <see cref="ChoiceTopP.Parse(string, out string?)"/> read them.</summary>
internal static class FeatureValues
{
    /// <summary>The value without a name (null: none given) and the named ones, in the order written; null with
    /// <paramref name="error"/> saying what is wrong, to follow the option's name.</summary>
    /// <param name="noun">What a value is called in the messages: "number", "share".</param>
    /// <param name="range">What a value must be, for the messages: "0 to 4".</param>
    public static (double? Unnamed, IReadOnlyDictionary<ChosenFeature, double> Named)? Parse(string text, string noun, string range,
        Func<double, bool> inRange, out string? error)
    {
        error = null;
        double? unnamed = null;
        var named = new Dictionary<ChosenFeature, double>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string[] pair = part.Split('=', StringSplitOptions.TrimEntries);
            string valueText = pair[^1];
            if (pair.Length > 2 || part.Length == 0 || !double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                error = $"must be a {noun} or NAME={noun.ToUpperInvariant()} (pitch, time, length, velocity), got '{part}'";
                return null;
            }
            if (!inRange(value))
            {
                error = $"must be {range}{(pair.Length == 2 ? $" for {pair[0]}" : "")}, got {valueText}";
                return null;
            }
            if (pair.Length == 1)
            {
                if (unnamed is not null) { error = $"takes at most one {noun} without a name"; return null; }
                unnamed = value;
                continue;
            }
            if (NoiseScales.FeatureNamed(pair[0]) is not { } feature)
            {
                error = $"names pitch, time, length or velocity, got '{pair[0]}'";
                return null;
            }
            if (!named.TryAdd(feature, value)) { error = $"gives {NoiseScales.Name(feature)} twice"; return null; }
        }
        return (unnamed, named);
    }
}
