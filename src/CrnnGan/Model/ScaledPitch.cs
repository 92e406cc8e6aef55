using CrnnGan.Data;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>Between the scaled frequency the models see (see <see cref="FeatureScaling"/>) and continuous MIDI pitch, on tensors.</summary>
public static class ScaledPitch
{
    /// <summary>Frequencies below MIDI pitch 0 (8.2 Hz) read as pitch 0, so an absent tone's 0 Hz gives 0, not -infinity.</summary>
    public static readonly double LowestFrequency = Tuning.PitchToFrequency(Tuning.MinPitch);

    public static Tensor Hertz(Tensor scaledFrequency, OffsetScale frequency) =>
        (pow(2.0, scaledFrequency * frequency.Scale + frequency.Offset) - 1) * FeatureScaling.FrequencyWarpReferenceHz;

    public static Tensor ToPitch(Tensor scaledFrequency, OffsetScale frequency)
    {
        using var hz = Hertz(scaledFrequency, frequency);
        return PitchOfHertz(hz);
    }

    /// <summary>The continuous MIDI pitch of frequencies in Hz; below <see cref="LowestFrequency"/> it reads 0.</summary>
    public static Tensor PitchOfHertz(Tensor hz)
    {
        using var scope = NewDisposeScope();
        var pitch = log2(hz.clamp_min(LowestFrequency) / Tuning.A4Frequency) * 12 + Tuning.A4Pitch;
        return pitch.MoveToOuterDisposeScope();
    }

    public static Tensor FromPitch(Tensor pitch, OffsetScale frequency)
    {
        using var scope = NewDisposeScope();
        var hz = pow(2.0, (pitch - Tuning.A4Pitch) / 12.0) * Tuning.A4Frequency;
        var scaled = (log2(hz / FeatureScaling.FrequencyWarpReferenceHz + 1) - frequency.Offset) / frequency.Scale;
        return scaled.MoveToOuterDisposeScope();
    }
}
