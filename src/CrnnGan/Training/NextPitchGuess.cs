using CrnnGan.Data;
using CrnnGan.Model;
using static TorchSharp.torch;

namespace CrnnGan.Training;

/// <summary>
/// How well G predicts a melody: teacher forced over real songs, the share of events whose first tone's pitch G's
/// guess, written as <c>generate</c> writes it (on a semitone, through the pitch-class head where G has one), hits
/// exactly. A G that never learned this writes a scale for a few notes, then repeats its favourite pitch.
/// </summary>
public static class NextPitchGuess
{
    /// <param name="output">G's teacher-forced output over <paramref name="real"/>: output[t] is its guess of real[t].</param>
    /// <param name="real">The real events (batch, length, features or more); the first event's guess is skipped (G read noise).</param>
    /// <returns>The number of sounding real events after the first, and how many of them G's guess hits.</returns>
    public static (long Events, long Hits) Count(Tensor output, Tensor real, PitchClassHead? head, FeatureScaling scaling)
    {
        using var scope = NewDisposeScope();
        var written = head?.Decode(output) ?? output;
        int f = EventLayout.FrequencyIndex(0);
        var actual = real[.., 1.., f];
        var sounding = ScaledPitch.Hertz(actual, scaling.Frequency) >= ScaledPitch.LowestFrequency;
        var hit = ScaledPitch.ToPitch(written[.., 1.., f], scaling.Frequency).round().eq(ScaledPitch.ToPitch(actual, scaling.Frequency).round());
        return (sounding.sum().item<long>(), (hit & sounding).sum().item<long>());
    }
}
