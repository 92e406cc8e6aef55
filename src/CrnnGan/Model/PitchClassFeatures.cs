using CrnnGan.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// Extra inputs for D: each tone's pitch class as a point on the circle of fifths (cos and sin of 2 pi x 7 x pitch / 12).
/// The notes of one major or minor key lie on one arc of that circle, so whether a song keeps to a key becomes
/// a direction D can read off its input, where from the scaled frequency alone it would have to work out the pitch
/// modulo 12. The map is smooth in the continuous pitch, so G's frequency output gets a gradient towards the key.
/// Multi-tone cells weight each tone's point by how present it is (velocity over half the corpus mean, at most 1: the
/// threshold the sampler keeps a tone at), so absent tones sit at the centre.
/// </summary>
public sealed class PitchClassFeatures : nn.Module<Tensor, Tensor>
{
    public const int PerTone = 2;
    private const double RadiansPerSemitone = 2 * Math.PI * 7 / 12;

    private readonly int _tonesPerCell;
    private readonly OffsetScale _frequency;
    private readonly OffsetScale _intensity;

    /// <param name="scaling">The run's scaling: it turns the scaled frequency and intensity D sees back into pitch and velocity.</param>
    public PitchClassFeatures(int tonesPerCell, FeatureScaling scaling) : base(nameof(PitchClassFeatures))
    {
        ArgumentNullException.ThrowIfNull(scaling);
        _tonesPerCell = tonesPerCell;
        _frequency = scaling.Frequency;
        _intensity = scaling.Intensity;
        RegisterComponents();
    }

    public int Count => PerTone * _tonesPerCell;

    /// <summary>The continuous MIDI pitch of scaled frequencies (an absent tone's 0 Hz reads as pitch 0).</summary>
    public Tensor Pitch(Tensor scaledFrequency) => ScaledPitch.ToPitch(scaledFrequency, _frequency);

    /// <summary>How present a tone of a multi-tone cell is: its velocity over half the corpus mean, at most 1 (the
    /// threshold the sampler keeps a tone at). (batch, length).</summary>
    public static Tensor Presence(Tensor events, int tone, OffsetScale intensity)
    {
        using var scope = NewDisposeScope();
        var velocity = events[.., .., EventLayout.IntensityIndex(tone)] * intensity.Scale + intensity.Offset;
        return (velocity / Math.Max(intensity.Offset / 2, 1)).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <param name="events">(batch, length, features), scaled</param>
    /// <returns>(batch, length, <see cref="Count"/>)</returns>
    public override Tensor forward(Tensor events)
    {
        using var scope = NewDisposeScope();
        var perTone = new List<Tensor>(Count);
        for (int tone = 0; tone < _tonesPerCell; tone++)
        {
            var angle = Pitch(events[.., .., EventLayout.FrequencyIndex(tone)]) * RadiansPerSemitone;
            Tensor cosine = cos(angle), sine = sin(angle);
            if (_tonesPerCell > 1)
            {
                var presence = Presence(events, tone, _intensity);
                cosine *= presence;
                sine *= presence;
            }
            perTone.Add(cosine);
            perTone.Add(sine);
        }
        return stack(perTone, dim: -1).MoveToOuterDisposeScope();
    }
}
