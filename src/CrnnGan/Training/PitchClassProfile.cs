using CrnnGan.Data;
using CrnnGan.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training;

/// <summary>
/// How a song shares its notes among the 12 pitch classes, from the most used class to the least: a profile that does
/// not depend on the key (a song in one key has about 7 classes in use and 5 nearly empty; notes drawn at random use
/// all 12 alike). A note between two semitones is shared between their classes in proportion to its closeness to each
/// (a note on a semitone counts whole), so G's pitch gets a gradient towards whichever of the two its songs use more.
/// </summary>
public static class PitchClassProfile
{
    public const int Classes = 12;

    /// <param name="events">(batch, length, features), scaled</param>
    /// <returns>(batch, 12): each song's share of notes per class, sorted from the largest share down.</returns>
    public static Tensor Sorted(Tensor events, int tonesPerCell, FeatureScaling scaling)
    {
        using var scope = NewDisposeScope();
        var classes = arange(Classes, dtype: ScalarType.Float32, device: events.device);
        Tensor? counts = null, notes = null;
        for (int tone = 0; tone < tonesPerCell; tone++)
        {
            var pitch = ScaledPitch.ToPitch(events[.., .., EventLayout.FrequencyIndex(tone)], scaling.Frequency);
            // Distance from each class on the circle of 12 semitones, in -6..6.
            var distance = (pitch.unsqueeze(-1) - classes + 6).remainder(Classes) - 6;
            var share = (1 - distance.abs()).clamp_min(0);
            var weight = tonesPerCell > 1
                ? PitchClassFeatures.Presence(events, tone, scaling.Intensity)
                : ones_like(pitch);
            var toneCounts = (share * weight.unsqueeze(-1)).sum(1);
            var toneNotes = weight.sum(1, keepdim: true);
            counts = counts is null ? toneCounts : counts + toneCounts;
            notes = notes is null ? toneNotes : notes + toneNotes;
        }
        var histogram = counts! / notes!.clamp_min(1e-6);
        var (sorted, _) = histogram.sort(dim: -1, descending: true);
        return sorted.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// sum((mean real profile - mean generated profile)^2) over the 12 ranks, times the number of steps (so that it
    /// weighs like <see cref="GanLosses.FeatureMatchingOfMeans"/>, a sum over steps).
    /// </summary>
    public static Tensor Matching(Tensor realEvents, Tensor fakeEvents, int tonesPerCell, FeatureScaling scaling)
    {
        using var scope = NewDisposeScope();
        Tensor real;
        using (no_grad())
            real = Sorted(realEvents, tonesPerCell, scaling).mean([0L]);
        var fake = Sorted(fakeEvents, tonesPerCell, scaling).mean([0L]);
        return ((real - fake).square().sum() * realEvents.shape[1]).MoveToOuterDisposeScope();
    }
}
