using CrnnGan.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// G's written onsets passed through a smooth staircase whose steps are <see cref="ModelConfig.TimeGrid"/> ticks:
/// each onset's position from the song's start (the running sum of G's times since the previous onset, those below
/// zero read as zero, as the writer reads them) goes through f(x) = x - g/(2 pi) sin(2 pi x / g), <see cref="Iterations"/>
/// times, and the times between onsets are taken again from the new positions. Multiples of g are f's resting points
/// (slope 0) and the half-way points its only other fixed points, so an onset within a quarter step of the grid is
/// written within a fraction of a tick of it; f is smooth and never decreasing, so no time turns negative and G keeps
/// a gradient off the grid. Snapping positions rather than each time keeps small errors from adding up along the song.
/// It plays for time the part that rounding to semitones plays for pitch: G's own resolution of time. It applies to
/// G's output as written (D judges that), not to what G reads back.
/// </summary>
public static class TimeStaircase
{
    public const int Iterations = 2;

    /// <param name="events">(batch, length, features), scaled.</param>
    public static Tensor Apply(Tensor events, int tonesPerCell, OffsetScale time, int grid)
    {
        using var scope = NewDisposeScope();
        int index = EventLayout.TimeIndex(tonesPerCell);
        var position = (events[.., .., index] * time.Scale + time.Offset).clamp_min(0).cumsum(1);
        for (int i = 0; i < Iterations; i++)
            position = position - grid / (2 * Math.PI) * (position * (2 * Math.PI / grid)).sin();
        var ticks = position - nn.functional.pad(position, [1, 0])[.., ..(int)position.shape[1]];
        var scaled = ((ticks - time.Offset) / time.Scale).unsqueeze(-1);
        long features = events.shape[^1];
        var parts = new List<Tensor>();
        if (index > 0) parts.Add(events[.., .., ..index]);
        parts.Add(scaled);
        if (index + 1 < features) parts.Add(events[.., .., (index + 1)..]);
        return cat(parts, dim: -1).MoveToOuterDisposeScope();
    }
}
