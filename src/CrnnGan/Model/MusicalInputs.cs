using CrnnGan.Data;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// What D may read beside the events to hear rhythm and melody as a listener does, computed from the events
/// themselves (real and G's alike), each times a scale:
/// <list type="bullet">
/// <item>Rhythm (<see cref="RhythmCount"/> values per step): the cosine and sine of the time since the previous onset
/// on a sixteenth-note and on an eighth-note-triplet period, and of the onset's position counted from the song's first
/// onset on a sixteenth-note and on a quarter-note period (on the grid a cosine is 1; a continuous time drawn anywhere
/// averages 0; the curves are smooth, so D's verdict pulls G's times towards the nearest grid point), and how much the
/// time since the previous onset repeats the step before's (1 for the same, near 0 a sixteenth or more apart): music
/// holds one value for many notes.</item>
/// <item>Intervals (<see cref="IntervalCount"/> values per step): how much the step from the previous event's first tone
/// to this one's is a repeated pitch, a step of one or two semitones, or a leap over an octave, as smooth indicators
/// (1 at the centre, near 0 away from it). With song moments their means are the shares of repeats, steps and wide
/// leaps, which an LSTM judging step by step reads poorly and feature matching then matches.</item>
/// </list>
/// </summary>
public sealed class MusicalInputs
{
    public const int RhythmCount = 9;
    public const int IntervalCount = 3;

    private static readonly double[] TimePeriodsInQuarters = [0.25, 1.0 / 3];
    private static readonly double[] PositionPeriodsInQuarters = [0.25, 1];

    private readonly int _tonesPerCell;
    private readonly FeatureScaling _scaling;
    private readonly double _rhythm;
    private readonly double _intervals;

    public MusicalInputs(int tonesPerCell, FeatureScaling scaling, double rhythm, double intervals)
    {
        _tonesPerCell = tonesPerCell;
        _scaling = scaling;
        _rhythm = rhythm;
        _intervals = intervals;
    }

    public int Count => (_rhythm > 0 ? RhythmCount : 0) + (_intervals > 0 ? IntervalCount : 0);

    /// <param name="events">(batch, length, features), scaled.</param>
    /// <returns>(batch, length, <see cref="Count"/>)</returns>
    public Tensor Of(Tensor events)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        if (_rhythm > 0) parts.Add(Rhythm(events).mul(_rhythm));
        if (_intervals > 0) parts.Add(Intervals(events).mul(_intervals));
        return cat(parts, dim: -1).MoveToOuterDisposeScope();
    }

    private Tensor Rhythm(Tensor events)
    {
        var time = events[.., .., EventLayout.TimeIndex(_tonesPerCell)];
        var ticks = (time * _scaling.Time.Scale + _scaling.Time.Offset).clamp_min(0);
        // Counted from the first onset: the first event's own time says nothing of where the window starts.
        var position = ticks.cumsum(1) - ticks[.., ..1];
        var waves = new List<Tensor>();
        foreach (var (values, periods) in new[] { (ticks, TimePeriodsInQuarters), (position, PositionPeriodsInQuarters) })
        {
            foreach (double quarters in periods)
            {
                var angle = values * (2 * Math.PI / (quarters * EventLayout.NormalizedTicksPerQuarter));
                waves.Add(angle.cos());
                waves.Add(angle.sin());
            }
        }
        long length = ticks.shape[1];
        var same = length < 2 ? zeros_like(ticks)
            : cat([zeros_like(ticks[.., ..1]), (-((ticks[.., 1..] - ticks[.., ..(int)(length - 1)]) / 24).square() / 2).exp()], 1);
        waves.Add(same);
        return stack(waves, dim: -1);
    }

    private Tensor Intervals(Tensor events)
    {
        var pitch = ScaledPitch.ToPitch(events[.., .., EventLayout.FrequencyIndex(0)], _scaling.Frequency);
        long length = pitch.shape[1];
        var first = zeros_like(pitch[.., ..1]);
        if (length < 2) return zeros(pitch.shape[0], length, IntervalCount, dtype: pitch.dtype, device: pitch.device);
        var jump = (pitch[.., 1..] - pitch[.., ..(int)(length - 1)]).abs();
        var repeat = (-(jump / 0.35).square() / 2).exp();
        var step = (-((jump - 1.5) / 0.6).square() / 2).exp();
        var wideLeap = ((jump - 12.5) / 0.5).sigmoid();
        // The first step has no previous note: all three read 0 there.
        var indicators = stack([cat([first, repeat], 1), cat([first, step], 1), cat([first, wideLeap], 1)], dim: -1);
        return indicators;
    }
}
