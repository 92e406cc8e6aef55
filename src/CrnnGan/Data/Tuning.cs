namespace CrnnGan.Data;

/// <summary>MIDI tuning standard: f = 440 Hz * 2^((pitch - 69) / 12).</summary>
public static class Tuning
{
    public const double A4Frequency = 440.0;
    public const int A4Pitch = 69;
    public const int MinPitch = 0;
    public const int MaxPitch = 127;

    public static double PitchToFrequency(int pitch) => A4Frequency * Math.Pow(2.0, (pitch - A4Pitch) / 12.0);

    /// <summary>The nearest MIDI pitch, clamped to 0..127; non-positive (or NaN) frequencies give 0.</summary>
    public static int FrequencyToPitch(double frequency)
    {
        if (!(frequency > 0))
            return MinPitch;
        double pitch = A4Pitch + 12.0 * Math.Log2(frequency / A4Frequency);
        return (int)Math.Clamp(Math.Round(pitch, MidpointRounding.AwayFromZero), MinPitch, MaxPitch);
    }
}
