using CrnnGan.Data;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// G says each tone's pitch class with outputs of its own (<c>--pitch-class-head</c>): beside the event's features it
/// emits every tone's point on the circle of fifths (cos and sin, as <see cref="PitchClassFeatures"/> computes them
/// of real tones), and the tone written is the pitch of that class nearest to G's frequency output, which then says
/// only the register. A key's notes lie on one arc of the circle, so keeping to a key is a smooth target for G's
/// outputs, where with the frequency alone G would have to land on 7 of every 12 semitones. Real events get the
/// same values appended, so G is pretrained on them and D judges real and generated songs by the same inputs.
/// </summary>
public sealed class PitchClassHead
{
    private readonly int _tonesPerCell;
    private readonly FeatureScaling _scaling;
    private readonly PitchClassFeatures _features;

    public PitchClassHead(int tonesPerCell, FeatureScaling scaling)
    {
        ArgumentNullException.ThrowIfNull(scaling);
        _tonesPerCell = tonesPerCell;
        _scaling = scaling;
        _features = new PitchClassFeatures(tonesPerCell, scaling);
    }

    /// <summary>The values G emits per step beside an event's features.</summary>
    public static int OutputsFor(int tonesPerCell) => PitchClassFeatures.PerTone * tonesPerCell;

    /// <summary>Real events (batch, length, features) with their tones' points on the circle of fifths appended.</summary>
    public Tensor WithPitchClasses(Tensor events)
    {
        using var scope = NewDisposeScope();
        return cat([events, _features.call(events)], dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// G's output (batch, length, features + <see cref="OutputsFor"/>) as events (batch, length, features): every
    /// sounding tone's frequency moved to the nearest pitch of the class its point on the circle of fifths is
    /// nearest to (an octave back where that would leave the MIDI range). Tones below MIDI pitch 0 (absent) stay.
    /// </summary>
    public Tensor Decode(Tensor output)
    {
        using var scope = NewDisposeScope();
        int featureCount = EventLayout.FeatureCount(_tonesPerCell);
        if (output.shape[^1] != featureCount + OutputsFor(_tonesPerCell))
            throw new ArgumentException($"G's output has {output.shape[^1]} values per step; a pitch-class head of {_tonesPerCell} tone(s) needs {featureCount + OutputsFor(_tonesPerCell)}");
        var events = output[.., .., ..featureCount].clone();
        for (int tone = 0; tone < _tonesPerCell; tone++)
        {
            int index = EventLayout.FrequencyIndex(tone);
            int pointAt = featureCount + PitchClassFeatures.PerTone * tone;
            var frequency = output[.., .., index];
            var steps = atan2(output[.., .., pointAt + 1], output[.., .., pointAt]).mul(12 / (2 * Math.PI)).round();
            var pitchClass = steps.mul(7).remainder(12); // a fifth is 7 semitones, and 7 x 7 = 1 (mod 12)
            var register = ScaledPitch.ToPitch(frequency, _scaling.Frequency);
            var pitch = register + (pitchClass - register + 6).remainder(12) - 6;
            pitch = where(pitch > Tuning.MaxPitch, pitch - 12, pitch);
            pitch = where(pitch < Tuning.MinPitch, pitch + 12, pitch);
            var sounding = ScaledPitch.Hertz(frequency, _scaling.Frequency) >= ScaledPitch.LowestFrequency;
            events[.., .., index] = where(sounding, ScaledPitch.FromPitch(pitch.round(), _scaling.Frequency), frequency);
        }
        return events.MoveToOuterDisposeScope();
    }
}
