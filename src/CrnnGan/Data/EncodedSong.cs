namespace CrnnGan.Data;

/// <summary>A song as the paper's event sequence: <see cref="EventCount"/> rows of <see cref="FeatureCount"/> values
/// laid out by <see cref="EventLayout"/>, unscaled.</summary>
public sealed class EncodedSong
{
    /// <param name="values">Row-major events x features; the song keeps this array, it is not copied.</param>
    public EncodedSong(int tonesPerCell, float[] values, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        FeatureCount = EventLayout.FeatureCount(tonesPerCell);
        if (values.Length % FeatureCount != 0)
            throw new ArgumentException($"{values.Length} values is not a whole number of {FeatureCount}-value events.", nameof(values));
        TonesPerCell = tonesPerCell;
        Values = values;
        EventCount = values.Length / FeatureCount;
        SourceName = sourceName;
    }

    public int TonesPerCell { get; }
    public int FeatureCount { get; }
    public int EventCount { get; }
    public float[] Values { get; }
    public string? SourceName { get; }

    public ReadOnlySpan<float> Event(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, EventCount);
        return Values.AsSpan(index * FeatureCount, FeatureCount);
    }

    public NoteEvent Tone(int eventIndex, int tone)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tone);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(tone, TonesPerCell);
        ReadOnlySpan<float> values = Event(eventIndex);
        return new NoteEvent(
            values[EventLayout.LengthIndex(tone)],
            values[EventLayout.FrequencyIndex(tone)],
            values[EventLayout.IntensityIndex(tone)],
            values[EventLayout.TimeIndex(TonesPerCell)]);
    }
}
