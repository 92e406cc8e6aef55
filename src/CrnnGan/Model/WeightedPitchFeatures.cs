using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// What <see cref="PitchClassMemory"/>, <see cref="FigureMemory"/> and <see cref="VelocityMemory"/> share: per-pitch (or
/// per-velocity) features of the song so far (…, k, n), each weighted by one of k weights read from G's last hidden
/// state and added to G's n scores of that choice.
/// </summary>
internal static class WeightedPitchFeatures
{
    /// <summary>Raw output (…, outputs) with the scores at <paramref name="at"/> raised by
    /// <paramref name="features"/> (…, k, n) weighted by <paramref name="weights"/> of <paramref name="hidden"/> (…, hidden).</summary>
    public static Tensor AddTo(Tensor raw, int at, Linear weights, Tensor hidden, Tensor features)
    {
        using var scope = NewDisposeScope();
        var added = weights.call(hidden).unsqueeze(-2).matmul(features).squeeze(-2);
        return PitchScores.Add(raw, at, added).MoveToOuterDisposeScope();
    }

    /// <summary>The gradient of one step's k weights (batch, k) from that of the scores (batch, n) they were added to.</summary>
    public static Tensor Backward(Tensor scoreGradient, Tensor features) =>
        features.matmul(scoreGradient.unsqueeze(-1)).squeeze(-1);
}
