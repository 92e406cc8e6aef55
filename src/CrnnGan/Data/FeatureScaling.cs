using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrnnGan.Data;

/// <summary>An affine map for one feature kind: scaled = (value - Offset) / Scale.</summary>
public readonly record struct OffsetScale(double Offset, double Scale)
{
    internal float Forward(double value) => (float)((value - Offset) / Scale);
    internal double Backward(float scaled) => scaled * Scale + Offset;
}

/// <summary>
/// The one place that maps unscaled event values (see <see cref="EventLayout"/>) to the roughly unit-range values
/// the model trains on, and back. Each feature kind has one <see cref="OffsetScale"/> shared by all tones.
/// Frequency is first warped by <see cref="WarpFrequency"/> (close to log2 for musical pitches, exactly invertible,
/// 0 Hz of an absent tone maps to 0 instead of -infinity); the other kinds are scaled linearly.
/// </summary>
public sealed class FeatureScaling
{
    /// <summary>C1 (MIDI pitch 24). Far enough below musical pitches that the warp is nearly log2 there.</summary>
    public static readonly double FrequencyWarpReferenceHz = Tuning.PitchToFrequency(24);

    /// <summary>Constants for when nothing is fitted: a quarter note and one full velocity are 1, one octave is about 1,
    /// middle C is 0.</summary>
    public static FeatureScaling Default { get; } = new(
        length: new OffsetScale(0, EventLayout.NormalizedTicksPerQuarter),
        frequency: new OffsetScale(WarpFrequency(Tuning.PitchToFrequency(60)), 1),
        intensity: new OffsetScale(0, 127),
        time: new OffsetScale(0, EventLayout.NormalizedTicksPerQuarter));

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    [JsonConstructor]
    public FeatureScaling(OffsetScale length, OffsetScale frequency, OffsetScale intensity, OffsetScale time)
    {
        Length = Validate(length, nameof(length));
        Frequency = Validate(frequency, nameof(frequency));
        Intensity = Validate(intensity, nameof(intensity));
        Time = Validate(time, nameof(time));
    }

    public OffsetScale Length { get; }
    /// <summary>Applies to <see cref="WarpFrequency"/> of the frequency, not to Hz.</summary>
    public OffsetScale Frequency { get; }
    public OffsetScale Intensity { get; }
    public OffsetScale Time { get; }

    public static double WarpFrequency(double hz) => Math.Log2(1 + hz / FrequencyWarpReferenceHz);
    public static double UnwarpFrequency(double warped) => FrequencyWarpReferenceHz * (Math.Pow(2, warped) - 1);

    /// <summary>
    /// Mean and standard deviation per kind. Length, frequency and intensity come from present tones only
    /// (intensity &gt; 0), so the all-zero absent tones of multi-tone cells do not pull them; time comes from every event.
    /// A kind with no data keeps <see cref="Default"/>; a constant kind is centred but keeps the default scale.
    /// </summary>
    public static FeatureScaling Fit(IEnumerable<EncodedSong> songs)
    {
        ArgumentNullException.ThrowIfNull(songs);
        RunningMoments length = new(), frequency = new(), intensity = new(), time = new();
        foreach (EncodedSong song in songs)
        {
            int timeIndex = EventLayout.TimeIndex(song.TonesPerCell);
            for (int e = 0; e < song.EventCount; e++)
            {
                ReadOnlySpan<float> values = song.Event(e);
                time.Add(values[timeIndex]);
                for (int tone = 0; tone < song.TonesPerCell; tone++)
                {
                    float toneIntensity = values[EventLayout.IntensityIndex(tone)];
                    if (!(toneIntensity > 0))
                        continue;
                    length.Add(values[EventLayout.LengthIndex(tone)]);
                    frequency.Add(WarpFrequency(values[EventLayout.FrequencyIndex(tone)]));
                    intensity.Add(toneIntensity);
                }
            }
        }
        return new FeatureScaling(
            length.ToOffsetScale(Default.Length),
            frequency.ToOffsetScale(Default.Frequency),
            intensity.ToOffsetScale(Default.Intensity),
            time.ToOffsetScale(Default.Time));
    }

    public float[] Scale(EncodedSong song)
    {
        ArgumentNullException.ThrowIfNull(song);
        float[] scaled = (float[])song.Values.Clone();
        ScaleInPlace(scaled, song.TonesPerCell);
        return scaled;
    }

    public void ScaleInPlace(Span<float> values, int tonesPerCell) => Transform(values, tonesPerCell, forward: true);

    public EncodedSong Unscale(ReadOnlySpan<float> scaled, int tonesPerCell, string? sourceName = null)
    {
        float[] values = scaled.ToArray();
        UnscaleInPlace(values, tonesPerCell);
        return new EncodedSong(tonesPerCell, values, sourceName);
    }

    public void UnscaleInPlace(Span<float> values, int tonesPerCell) => Transform(values, tonesPerCell, forward: false);

    /// <summary>Scales (or unscales) every value by its feature kind; frequencies go through the warp as well.</summary>
    private void Transform(Span<float> values, int tonesPerCell, bool forward)
    {
        int featureCount = CheckWholeEvents(values.Length, tonesPerCell);
        for (int i = 0; i < values.Length; i++)
        {
            var kind = EventLayout.KindOf(i % featureCount, tonesPerCell);
            var scale = kind switch
            {
                FeatureKind.Length => Length,
                FeatureKind.Frequency => Frequency,
                FeatureKind.Intensity => Intensity,
                _ => Time,
            };
            if (forward)
                values[i] = scale.Forward(kind == FeatureKind.Frequency ? WarpFrequency(values[i]) : values[i]);
            else
                values[i] = (float)(kind == FeatureKind.Frequency ? UnwarpFrequency(scale.Backward(values[i])) : scale.Backward(values[i]));
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static FeatureScaling FromJson(string json) =>
        JsonSerializer.Deserialize<FeatureScaling>(json, JsonOptions)
        ?? throw new JsonException("FeatureScaling JSON is null.");

    private static OffsetScale Validate(OffsetScale scaling, string kind)
    {
        if (!double.IsFinite(scaling.Offset) || !double.IsFinite(scaling.Scale) || scaling.Scale <= 0)
            throw new ArgumentException($"{kind} scaling needs a finite offset and a finite positive scale, got {scaling}.", kind);
        return scaling;
    }

    private static int CheckWholeEvents(int valueCount, int tonesPerCell)
    {
        int featureCount = EventLayout.FeatureCount(tonesPerCell);
        if (valueCount % featureCount != 0)
            throw new ArgumentException($"{valueCount} values is not a whole number of {featureCount}-value events.");
        return featureCount;
    }

    /// <summary>Welford's running mean and variance.</summary>
    private sealed class RunningMoments
    {
        private long _count;
        private double _mean;
        private double _sumOfSquaredDeviations;

        public void Add(double value)
        {
            _count++;
            double delta = value - _mean;
            _mean += delta / _count;
            _sumOfSquaredDeviations += delta * (value - _mean);
        }

        public OffsetScale ToOffsetScale(OffsetScale fallback)
        {
            if (_count == 0)
                return fallback;
            double std = Math.Sqrt(_sumOfSquaredDeviations / _count);
            return new OffsetScale(_mean, std > 1e-9 * Math.Max(1, Math.Abs(_mean)) ? std : fallback.Scale);
        }
    }
}
