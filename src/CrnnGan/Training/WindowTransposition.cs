using CrnnGan.Data;

namespace CrnnGan.Training;

/// <summary>
/// Moves a training window's tones up or down by whole semitones (<c>data.transpose</c>): the same music in another key
/// and register, so that G learns lines and chords from more examples than the corpus has of each key. The times,
/// lengths and velocities stay; a window is moved only as far as keeps all its tones within MIDI's pitches.
/// </summary>
/// <param name="Range">The largest move, in semitones, either way.</param>
public sealed record WindowTransposition(int Range, FeatureScaling Scaling, int TonesPerCell)
{
    /// <summary>Moves <paramref name="window"/> (scaled events, row-major) by a number of semitones drawn from
    /// <paramref name="random"/> between -<see cref="Range"/> and +<see cref="Range"/>, cut back to what keeps every tone
    /// within MIDI's pitches; returns the move made.</summary>
    public int Apply(Span<float> window, Random random)
    {
        int wanted = random.Next(-Range, Range + 1);
        var (lowest, highest) = PitchRange(window);
        if (lowest > highest) return 0; // no tones
        int move = Math.Clamp(wanted, Tuning.MinPitch - lowest, Tuning.MaxPitch - highest);
        if (move != 0) Move(window, move);
        return move;
    }

    /// <summary>The lowest and highest pitch of the window's tones (lowest above highest when there are none).</summary>
    public (int Lowest, int Highest) PitchRange(ReadOnlySpan<float> window)
    {
        int lowest = int.MaxValue, highest = int.MinValue;
        foreach (int index in FrequencyIndices(window.Length))
        {
            double hz = Hz(window[index]);
            if (hz <= 0) continue;
            int pitch = Tuning.FrequencyToPitch(hz);
            lowest = Math.Min(lowest, pitch);
            highest = Math.Max(highest, pitch);
        }
        return (lowest, highest);
    }

    /// <summary>Multiplies every tone's frequency by 2^(semitones/12); empty tones (0 Hz) stay empty.</summary>
    public void Move(Span<float> window, int semitones)
    {
        double ratio = Math.Pow(2, semitones / 12.0);
        foreach (int index in FrequencyIndices(window.Length))
        {
            double hz = Hz(window[index]);
            if (hz <= 0) continue;
            window[index] = Scaling.Frequency.Forward(FeatureScaling.WarpFrequency(hz * ratio));
        }
    }

    // Below a hundredth of a hertz is no tone: the scaled zero comes back as a rounding error's worth of Hz.
    private double Hz(float scaled)
    {
        double hz = FeatureScaling.UnwarpFrequency(Scaling.Frequency.Backward(scaled));
        return hz < 0.01 ? 0 : hz;
    }

    private IEnumerable<int> FrequencyIndices(int values)
    {
        int features = EventLayout.FeatureCount(TonesPerCell);
        for (int start = 0; start + features <= values; start += features)
            for (int tone = 0; tone < TonesPerCell; tone++)
                yield return start + EventLayout.FrequencyIndex(tone);
    }
}
