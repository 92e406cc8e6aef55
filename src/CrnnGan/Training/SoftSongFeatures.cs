using CrnnGan.Data;
using CrnnGan.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training;

/// <summary>
/// Per-song features of a batch of scaled events, smooth in every event value so G's loss can be differentiated
/// through them: differentiable stand-ins for the features <c>crnngan evaluate</c> measures
/// (<see cref="Evaluation.MusicalFeatures"/>), which see time, intervals and note order. Each share is a mean of soft
/// indicators (a Gaussian bump or a sigmoid where the evaluation counts exact cases), so it moves with G's values
/// instead of jumping. Onsets are the running sum of the times between events, counted from the song's first event;
/// an event whose time is near zero is part of the previous onset (a chord) and is left out of the rhythm's shares.
/// The first tone of each event stands for the event (C-RNN-GAN-3's other tones are not read).
/// </summary>
public sealed class SoftSongFeatures
{
    /// <summary>The names of the features, in the order of <see cref="Of"/>'s columns.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "chord_share", "ioi_log_mean", "ioi_log_std", "onset_on_16th", "onset_on_beat", "ioi_concentration",
        "ioi_repeats_previous", "pitch_mean", "pitch_std", "unique_tone_share", "interval_mean", "interval_repeat",
        "interval_step", "interval_leap", "interval_wide_leap", "velocity_mean", "velocity_std", "length_log_mean",
        "length_log_std", "sounding_share",
    ];

    private const double Quarter = EventLayout.NormalizedTicksPerQuarter;
    /// <summary>How far apart (in ticks) two times between onsets may be and still read about the same.</summary>
    private const double TimeWidth = 6;

    private readonly int _tonesPerCell;
    private readonly FeatureScaling _scaling;

    public SoftSongFeatures(int tonesPerCell, FeatureScaling scaling)
    {
        _tonesPerCell = tonesPerCell;
        _scaling = scaling;
    }

    /// <param name="events">(batch, length, features), scaled; length at least 3.</param>
    /// <returns>(batch, <see cref="Names"/>.Count)</returns>
    public Tensor Of(Tensor events)
    {
        using var scope = NewDisposeScope();
        var ticks = Unscaled(events, EventLayout.TimeIndex(_tonesPerCell), _scaling.Time).clamp_min(0)[.., 1..];
        var pitch = ScaledPitch.ToPitch(events[.., .., EventLayout.FrequencyIndex(0)], _scaling.Frequency);
        var velocity = Unscaled(events, EventLayout.IntensityIndex(0), _scaling.Intensity);
        var length = Unscaled(events, EventLayout.LengthIndex(0), _scaling.Length);

        var columns = new List<Tensor>();
        // The first event's own time says where the window starts, not how the song moves: rhythm starts at the second.
        var chord = Bump(ticks, 0, TimeWidth);
        var onset = 1 - chord;
        columns.Add(chord.mean([1L]));
        var logIoi = (ticks.clamp_min(1) / Quarter).log2();
        var (ioiMean, ioiStd) = WeightedMoments(logIoi, onset);
        columns.Add(ioiMean);
        columns.Add(ioiStd);
        var position = ticks.cumsum(1);
        columns.Add(Weighted(OnGrid(position, Quarter / 4), onset));
        columns.Add(Weighted(OnGrid(position, Quarter), onset));
        columns.Add(Concentration(ticks, onset));
        long steps = ticks.shape[1];
        var repeatsPrevious = Bump(ticks[.., 1..] - ticks[.., ..(int)(steps - 1)], 0, TimeWidth);
        columns.Add(Weighted(repeatsPrevious, onset[.., 1..] * onset[.., ..(int)(steps - 1)]));

        columns.Add(pitch.mean([1L]));
        columns.Add(Std(pitch));
        columns.Add(UniqueShare(pitch));
        var jump = (pitch[.., 1..] - pitch[.., ..(int)(pitch.shape[1] - 1)]).abs();
        columns.Add(jump.mean([1L]));
        columns.Add(Bump(jump, 0, 0.35).mean([1L]));
        columns.Add(Bump(jump, 1.5, 0.6).mean([1L]));
        columns.Add((((jump - 2.5) / 0.3).sigmoid() * ((12.5 - jump) / 0.3).sigmoid()).mean([1L]));
        columns.Add(((jump - 12.5) / 0.3).sigmoid().mean([1L]));

        columns.Add(velocity.mean([1L]) / 127);
        columns.Add(Std(velocity) / 127);
        var logLength = (length.clamp_min(1) / Quarter).log2();
        columns.Add(logLength.mean([1L]));
        columns.Add(Std(logLength));
        columns.Add((((length - 0.5) / 0.5).sigmoid() * ((velocity - 0.5) / 0.5).sigmoid()).mean([1L]));
        return stack(columns, dim: 1).MoveToOuterDisposeScope();
    }

    private static Tensor Unscaled(Tensor events, int index, OffsetScale scale) => events[.., .., index] * scale.Scale + scale.Offset;

    private static Tensor Bump(Tensor values, double centre, double width) => (-((values - centre) / width).square() / 2).exp();

    /// <summary>1 on a multiple of <paramref name="period"/> ticks, falling to a half about 6 ticks away.</summary>
    private static Tensor OnGrid(Tensor position, double period)
    {
        double angleAtHalf = 2 * Math.PI * TimeWidth / period;
        double sharpness = Math.Log(2) / (1 - Math.Cos(angleAtHalf));
        return (((position * (2 * Math.PI / period)).cos() - 1) * sharpness).exp();
    }

    private static Tensor Weighted(Tensor values, Tensor weights) =>
        (values * weights).sum([1L]) / weights.sum([1L]).clamp_min(1e-3);

    private static (Tensor Mean, Tensor Std) WeightedMoments(Tensor values, Tensor weights)
    {
        var mean = Weighted(values, weights);
        var variance = Weighted((values - mean.unsqueeze(1)).square(), weights);
        return (mean, variance.add(1e-6).sqrt());
    }

    /// <summary>How much the times between onsets agree with each other: the weighted mean over pairs of a bump on
    /// their difference (1 when every one is the same; music holds one value for many notes).</summary>
    private static Tensor Concentration(Tensor ticks, Tensor weights)
    {
        var same = Bump(ticks.unsqueeze(2) - ticks.unsqueeze(1), 0, TimeWidth);
        var pairWeights = weights.unsqueeze(2) * weights.unsqueeze(1);
        return (same * pairWeights).sum([1L, 2L]) / pairWeights.sum([1L, 2L]).clamp_min(1e-3);
    }

    /// <summary>The number of distinct pitches over the number of notes, each note counting 1 / (notes within about
    /// a third of a semitone of it).</summary>
    private static Tensor UniqueShare(Tensor pitch)
    {
        var near = Bump(pitch.unsqueeze(2) - pitch.unsqueeze(1), 0, 0.35).sum([2L]);
        return (1 / near).mean([1L]);
    }

    private static Tensor Std(Tensor values) =>
        (values - values.mean([1L], keepdim: true)).square().mean([1L]).add(1e-6).sqrt();
}
