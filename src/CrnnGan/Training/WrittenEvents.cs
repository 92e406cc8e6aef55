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
}
