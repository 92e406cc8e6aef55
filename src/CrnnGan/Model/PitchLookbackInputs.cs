using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>What G reads of its earlier pitches with <see cref="ModelConfig.PitchLookback"/>: the one-hots of the
/// pitches of events 2 to 1 + lookback steps back (zeros before the song's start), side by side.</summary>
internal static class PitchLookbackInputs
{
    private const int Pitches = Data.Tuning.MaxPitch + 1;

    /// <summary>Step <paramref name="t"/> of a pass whose events so far are <paramref name="read"/>: (batch, lookback x 128);
    /// <paramref name="pitchAt"/> is where an event's pitch one-hot lies.</summary>
    public static Tensor Step(Tensor[] read, int t, long batch, Device device, int lookback, int pitchAt)
    {
        var parts = new Tensor[lookback];
        for (int k = 2; k < 2 + lookback; k++)
            parts[k - 2] = t - k >= 0 ? read[t - k][.., pitchAt..(pitchAt + Pitches)] : zeros(batch, Pitches, device: device);
        return cat(parts, dim: 1);
    }

    /// <summary>As <see cref="Step"/> for every step of real events (batch, length, outputs) at once: (batch, length, lookback x 128).</summary>
    public static Tensor All(Tensor events, int lookback, int pitchAt)
    {
        long batch = events.shape[0], length = events.shape[1];
        var oneHots = events[.., .., pitchAt..(pitchAt + Pitches)];
        var parts = new Tensor[lookback];
        for (int k = 2; k < 2 + lookback; k++)
            parts[k - 2] = k >= length
                ? zeros(batch, length, Pitches, dtype: events.dtype, device: events.device)
                : cat([zeros(batch, k, Pitches, dtype: events.dtype, device: events.device), oneHots[.., ..(int)(length - k)]], dim: 1);
        return cat(parts, dim: 2);
    }
}
