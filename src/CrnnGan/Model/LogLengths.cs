using CrnnGan.Data;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// What D reads of each tone's length with <see cref="Training.TrainingConfig.DiscriminatorLogLengths"/>:
/// asinh(ticks / <see cref="TicksPerUnit"/>) - asinh(384 / <see cref="TicksPerUnit"/>), so a quarter is 0 and each
/// doubling of a real length adds about 0.69, while the scale stays smooth (with a gradient) through 0 ticks and below.
/// Read linearly, as scaled for G, an event of no length (which writes no note) sits next to a thirty-second; on this
/// scale it lies as far below a thirty-second as a half note lies above a quarter, so D can tell G's silent events from
/// real notes, and G's gradient from D points towards sounding ones.
/// </summary>
public static class LogLengths
{
    public const double TicksPerUnit = 48;
    private static readonly double QuarterOnScale = Math.Asinh(EventLayout.NormalizedTicksPerQuarter / TicksPerUnit);

    /// <summary>The value D reads for a length of <paramref name="ticks"/>.</summary>
    public static double OnScale(double ticks) => Math.Asinh(ticks / TicksPerUnit) - QuarterOnScale;

    /// <param name="events">(batch, length, values), scaled; values past the event's features are kept as they are.</param>
    /// <param name="length">The run's scaling of lengths, to turn the scaled values back into ticks.</param>
    public static Tensor Apply(Tensor events, int tonesPerCell, OffsetScale length)
    {
        using var scope = NewDisposeScope();
        var columns = events.unbind(-1);
        for (int tone = 0; tone < tonesPerCell; tone++)
        {
            int index = EventLayout.LengthIndex(tone);
            var ticks = columns[index] * length.Scale + length.Offset;
            columns[index] = (ticks / TicksPerUnit).asinh() - QuarterOnScale;
        }
        return stack(columns, dim: -1).MoveToOuterDisposeScope();
    }
}
