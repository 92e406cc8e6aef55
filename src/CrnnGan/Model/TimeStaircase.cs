using CrnnGan.Data;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// G's written time since the previous onset passed through a smooth staircase whose steps are
/// <see cref="ModelConfig.TimeGrid"/> ticks: f(x) = x - g/(2 pi) sin(2 pi x / g), applied <see cref="Iterations"/> times.
/// Multiples of g are its resting points (slope 0) and the half-way points its only other fixed points, so a time
/// within a quarter step of the grid is written within a fraction of a tick of it, while f stays smooth and increasing:
/// G keeps a gradient, and D judges what is written. It plays for time the part that rounding to semitones plays for
/// pitch: G's own resolution of time. It is applied to G's output as written (not to what G reads back).
/// </summary>
public static class TimeStaircase
{
    public const int Iterations = 2;

    /// <param name="events">(batch, length, features), scaled.</param>
    public static Tensor Apply(Tensor events, int tonesPerCell, OffsetScale time, int grid)
    {
        using var scope = NewDisposeScope();
        int index = EventLayout.TimeIndex(tonesPerCell);
        var ticks = events[.., .., index] * time.Scale + time.Offset;
        for (int i = 0; i < Iterations; i++)
            ticks = ticks - grid / (2 * Math.PI) * (ticks * (2 * Math.PI / grid)).sin();
        var scaled = ((ticks - time.Offset) / time.Scale).unsqueeze(-1);
        long features = events.shape[^1];
        var parts = new List<Tensor>();
        if (index > 0) parts.Add(events[.., .., ..index]);
        parts.Add(scaled);
        if (index + 1 < features) parts.Add(events[.., .., (index + 1)..]);
        return cat(parts, dim: -1).MoveToOuterDisposeScope();
    }
}
