using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// Scores of the velocities the song has played so far, added to G's velocity scores (<see cref="ModelConfig.VelocityMemory"/>):
/// the share of the events read so far at each velocity, and the velocity of the last one, weighted by two weights
/// from G's last hidden state. A quarter of the corpus's segments stay at one velocity and the rest reuse a few (span
/// over spread 3.7), where G's songs spread their velocities wider and more evenly (14% at one velocity, span over
/// spread 5.8; docs/log/2026-12-07-chords-from-top.md); an LSTM has to hold the song's velocities in its state to reuse
/// them, where these scores let it reuse them by raising a weight. Velocities are those of the events read (their
/// velocity one-hot), in event order; they pass no gradient (the draws pass none either).
/// </summary>
public sealed class VelocityMemory : nn.Module
{
    private const int Velocities = ChoiceHead.Velocities;
    private readonly Linear _weights;
    private readonly int _velocityAt;

    /// <param name="velocityAt">Where the velocity scores lie in G's raw output, and the velocity one-hot in an emitted event.</param>
    public VelocityMemory(int hidden, int velocityAt) : base(nameof(VelocityMemory))
    {
        _velocityAt = velocityAt;
        _weights = nn.Linear(hidden, 2);
        RegisterComponents();
    }

    internal Linear Weights => _weights;

    internal int VelocityAt => _velocityAt;

    /// <summary>The entry (0-126: velocity 1-127) of each event (…, outputs), from its velocity one-hot.</summary>
    public Tensor EntriesOf(Tensor events) => events[TensorIndex.Ellipsis, _velocityAt..(_velocityAt + Velocities)].argmax(-1);

    /// <summary>Teacher forced: the features of every step of events (batch, length, outputs) read in order (see <see cref="Features"/>).</summary>
    public Tensor FeaturesBefore(Tensor events) => Features(EntriesOf(events));

    /// <summary>
    /// (batch, length, 2, 127) from the velocity entries of events read in order (batch, length): step t, having read
    /// events 0 to t - 1, holds the share of them at each velocity, then the one-hot of event t - 1's. Step 0 holds zeros.
    /// </summary>
    internal static Tensor Features(Tensor entries)
    {
        using var scope = NewDisposeScope();
        long batch = entries.shape[0], length = entries.shape[1];
        var oneHots = nn.functional.one_hot(entries, Velocities).to(ScalarType.Float32);
        var before = cat([zeros(batch, 1, Velocities, device: entries.device), oneHots[.., ..(int)(length - 1)]], dim: 1);
        var counted = arange(length, dtype: ScalarType.Float32, device: entries.device).clamp_min(1).reshape(1, length, 1);
        var shares = before.cumsum(1).div_(counted);
        return stack([shares, before], dim: 2).MoveToOuterDisposeScope();
    }

    /// <summary>Free running: step <paramref name="t"/>'s features (batch, 2, 127) from the entries read so far
    /// (batch, at least t; the first t are events 0 to t - 1), as <see cref="Features"/> gives them.</summary>
    internal static Tensor FeaturesAt(Tensor entries, long t)
    {
        using var scope = NewDisposeScope();
        if (t < 1) return zeros(entries.shape[0], 2, Velocities, device: entries.device).MoveToOuterDisposeScope();
        var oneHots = nn.functional.one_hot(entries[.., ..(int)t], Velocities).to(ScalarType.Float32);
        return stack([oneHots.mean([1L]), oneHots[.., (int)(t - 1)]], dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Raw output (…, outputs) with each velocity's score raised by its features (…, 2, 127), weighted from G's last hidden state (…, hidden).</summary>
    public Tensor AddTo(Tensor raw, Tensor hidden, Tensor features) => WeightedPitchFeatures.AddTo(raw, _velocityAt, _weights, hidden, features);

    /// <summary>The gradient of one step's two weights (batch, 2) from that of the velocity scores (batch, 127) they were added to.</summary>
    internal static Tensor Backward(Tensor velocityScoreGradient, Tensor features) => WeightedPitchFeatures.Backward(velocityScoreGradient, features);
}
