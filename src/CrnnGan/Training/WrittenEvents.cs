using CrnnGan.Data;
using CrnnGan.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training;

/// <summary>
/// G's scaled events made more like what the MIDI writer makes of them, for D to judge (see
/// <see cref="TrainingConfig.ClampGeneratedTime"/>).
/// </summary>
public static class WrittenEvents
{
    /// <summary>
    /// Every time since the previous event below zero set to zero, as the writer reads it: G's chords then look
    /// like real ones, whose time is exactly the scaled zero. The gradient passes where the time is above zero.
    /// </summary>
    public static Tensor ClampTimeAtZero(Tensor events, int tonesPerCell, FeatureScaling scaling)
    {
        using var scope = NewDisposeScope();
        var bounds = torch.full(events.shape[^1], float.NegativeInfinity, device: events.device); // beyond the features: G's pitch classes
        bounds[EventLayout.TimeIndex(tonesPerCell)] = scaling.Time.Forward(0);
        return events.maximum(bounds).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every time since the previous onset and every length moved to the nearest multiple of <paramref name="grid"/>
    /// ticks (below zero: zero), as <see cref="Generation.SongSampler"/> writes them with <see cref="ModelConfig.TimeGrid"/>;
    /// the gradient passes straight through.
    /// </summary>
    public static Tensor RoundTime(Tensor events, int tonesPerCell, FeatureScaling scaling, int grid)
    {
        using var scope = NewDisposeScope();
        var offsets = zeros_like(events);
        using (no_grad())
        {
            void Round(int index, OffsetScale kind)
            {
                var scaled = events[.., .., index];
                var ticks = (scaled * kind.Scale + kind.Offset).clamp_min(0);
                offsets[.., .., index] = ((ticks / grid).round() * grid - kind.Offset) / kind.Scale - scaled;
            }
            Round(EventLayout.TimeIndex(tonesPerCell), scaling.Time);
            for (int tone = 0; tone < tonesPerCell; tone++) Round(EventLayout.LengthIndex(tone), scaling.Length);
        }
        return (events + offsets).MoveToOuterDisposeScope();
    }
}
