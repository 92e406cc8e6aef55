using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// Scores of the pitches that came after the same pitches earlier in the song, added to G's scores of the pitches
/// (<see cref="ModelConfig.FigureMemory"/>): "after the last pitch, this song went on with these" and "after the last
/// two pitches, with these", each as the share of those earlier continuations that went to each pitch, weighted by
/// two weights from G's last hidden state. Real music brings its figures back about three times as often as G's songs
/// (issue 21: the trees' and a recurrent critic's first give-away); an LSTM has to hold a figure in its state to repeat
/// it, where these scores let it repeat any figure the song has played, in order, by raising two weights. Pitches
/// are those of the events read, one tone per event, in event order; they pass no gradient (the draws pass none either).
/// </summary>
public sealed class FigureMemory : nn.Module
{
    private const int Pitches = Data.Tuning.MaxPitch + 1;
    private readonly Linear _weights;
    private readonly int _pitchAt;

    /// <param name="pitchAt">Where the pitch scores lie in G's raw output, and the pitch one-hot in an emitted event.</param>
    public FigureMemory(int hidden, int pitchAt) : base(nameof(FigureMemory))
    {
        _pitchAt = pitchAt;
        _weights = nn.Linear(hidden, 2);
        RegisterComponents();
    }

    internal Linear Weights => _weights;

    /// <summary>The pitch (0-127) of each event (…, outputs), from its pitch one-hot.</summary>
    public Tensor PitchesOf(Tensor events) => events[TensorIndex.Ellipsis, _pitchAt..(_pitchAt + Pitches)].argmax(-1);

    /// <summary>Teacher forced: the features of every step of events (batch, length, outputs) read in order (see <see cref="Features"/>).</summary>
    public Tensor FeaturesBefore(Tensor events) => Features(PitchesOf(events));

    /// <summary>
    /// (batch, length, 2, 128) from the pitches of events read in order (batch, length): step t, having read events 0 to
    /// t - 1, holds per pitch the share of the earlier events j (1 &lt;= j &lt; t) that followed the pitch event t - 1
    /// has (pitch[j - 1] = pitch[t - 1]) and went to that pitch; then the same for those that followed both of the
    /// last two pitches. A step with no such earlier event holds zeros.
    /// </summary>
    internal static Tensor Features(Tensor pitches)
    {
        using var scope = NewDisposeScope();
        long batch = pitches.shape[0], length = pitches.shape[1];
        // Each step's last and second-last pitch read; -1 and -2 where there is none, which match no pitch.
        var last = cat([full(batch, 1, -1L, device: pitches.device), pitches[.., ..(int)Math.Max(0, length - 1)]], dim: 1)[.., ..(int)length];
        var secondLast = cat([full(batch, 2, -2L, device: pitches.device), pitches[.., ..(int)Math.Max(0, length - 2)]], dim: 1)[.., ..(int)length];
        var earlier = ones(length, length, dtype: ScalarType.Bool, device: pitches.device).tril(-1); // [t, j]: j < t
        var afterLast = last.unsqueeze(2).eq(last.unsqueeze(1)).logical_and(earlier).logical_and(last.unsqueeze(1).ge(0));
        var afterBoth = afterLast.logical_and(secondLast.unsqueeze(2).eq(secondLast.unsqueeze(1))).logical_and(secondLast.unsqueeze(1).ge(0));
        var next = nn.functional.one_hot(pitches, Pitches).to(ScalarType.Float32);
        return stack([Shares(afterLast, next), Shares(afterBoth, next)], dim: 2).MoveToOuterDisposeScope();
    }

    private static Tensor Shares(Tensor matches, Tensor next)
    {
        var counts = matches.to(ScalarType.Float32);
        return counts.bmm(next).div_(counts.sum(-1, keepdim: true).clamp_min(1));
    }

    /// <summary>Free running: step <paramref name="t"/>'s features (batch, 2, 128) from the pitches read so far
    /// (batch, at least t; the first t are events 0 to t - 1), as <see cref="Features"/> gives them.</summary>
    internal static Tensor FeaturesAt(Tensor pitches, long t)
    {
        using var scope = NewDisposeScope();
        long batch = pitches.shape[0];
        var result = zeros(batch, 2, Pitches, device: pitches.device);
        if (t < 2) return result.MoveToOuterDisposeScope();
        var next = pitches[.., 1..(int)t]; // events j = 1 .. t - 1
        var afterLast = pitches[.., ..(int)(t - 1)].eq(pitches[.., (int)(t - 1)].unsqueeze(1));
        result.select(1, 0).copy_(Scatter(afterLast, next));
        if (t >= 3)
        {
            var afterBoth = afterLast[.., 1..].logical_and(pitches[.., ..(int)(t - 2)].eq(pitches[.., (int)(t - 2)].unsqueeze(1)));
            result.select(1, 1).copy_(Scatter(afterBoth, next[.., 1..]));
        }
        return result.MoveToOuterDisposeScope();
    }

    private static Tensor Scatter(Tensor matches, Tensor next)
    {
        var counts = matches.to(ScalarType.Float32);
        var shares = zeros(matches.shape[0], Pitches, device: matches.device).scatter_add_(1, next, counts);
        return shares.div_(counts.sum(-1, keepdim: true).clamp_min(1));
    }

    /// <summary>Raw output (…, outputs) with each pitch's score raised by its features (…, 2, 128), weighted from G's last hidden state (…, hidden).</summary>
    public Tensor AddTo(Tensor raw, Tensor hidden, Tensor features) => WeightedPitchFeatures.AddTo(raw, _pitchAt, _weights, hidden, features);

    /// <summary>The gradient of one step's two weights (batch, 2) from that of the pitch scores (batch, 128) they were added to.</summary>
    internal static Tensor Backward(Tensor pitchScoreGradient, Tensor features) => WeightedPitchFeatures.Backward(pitchScoreGradient, features);
}
