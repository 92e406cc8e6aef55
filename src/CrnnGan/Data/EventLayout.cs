namespace CrnnGan.Data;

/// <summary>The four kinds of value in an event; scaling is shared by every tone's value of the same kind.</summary>
public enum FeatureKind
{
    Length,
    Frequency,
    Intensity,
    Time,
}

/// <summary>
/// Where each value of an event lives in its feature vector. Per tone t: length at 3t, frequency at 3t+1,
/// intensity at 3t+2; the time since the previous event began is the last value, shared by all tones.
/// Lengths and times are in ticks at <see cref="NormalizedTicksPerQuarter"/>, frequency in Hz, intensity is MIDI velocity.
/// </summary>
public static class EventLayout
{
    public const int NormalizedTicksPerQuarter = 384;
    public const int FeaturesPerTone = 3;

    public static int FeatureCount(int tonesPerCell) => FeaturesPerTone * ValidateTonesPerCell(tonesPerCell) + 1;

    public static int LengthIndex(int tone) => FeaturesPerTone * tone;
    public static int FrequencyIndex(int tone) => FeaturesPerTone * tone + 1;
    public static int IntensityIndex(int tone) => FeaturesPerTone * tone + 2;
    public static int TimeIndex(int tonesPerCell) => FeaturesPerTone * ValidateTonesPerCell(tonesPerCell);

    public static FeatureKind KindOf(int featureIndex, int tonesPerCell)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(featureIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(featureIndex, FeatureCount(tonesPerCell));
        if (featureIndex == TimeIndex(tonesPerCell))
            return FeatureKind.Time;
        return (featureIndex % FeaturesPerTone) switch
        {
            0 => FeatureKind.Length,
            1 => FeatureKind.Frequency,
            _ => FeatureKind.Intensity,
        };
    }

    internal static int ValidateTonesPerCell(int tonesPerCell)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tonesPerCell, 1);
        return tonesPerCell;
    }
}
