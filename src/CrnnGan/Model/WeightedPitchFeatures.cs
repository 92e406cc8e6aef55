using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// What <see cref="PitchClassMemory"/> and <see cref="FigureMemory"/> share: per-pitch features of the song so far
/// (…, k, 128), each weighted by one of k weights read from G's last hidden state and added to G's pitch scores.
/// </summary>
internal static class WeightedPitchFeatures
{
    /// <summary>Raw output (…, outputs) with the pitch scores at <paramref name="pitchAt"/> raised by
    /// <paramref name="features"/> (…, k, 128) weighted by <paramref name="weights"/> of <paramref name="hidden"/> (…, hidden).</summary>
    public static Tensor AddTo(Tensor raw, int pitchAt, Linear weights, Tensor hidden, Tensor features)
    {
        using var scope = NewDisposeScope();
        var added = weights.call(hidden).unsqueeze(-2).matmul(features).squeeze(-2);
        return PitchScores.Add(raw, pitchAt, added).MoveToOuterDisposeScope();
    }

    /// <summary>The gradient of one step's k weights (batch, k) from that of the pitch scores (batch, 128) they were added to.</summary>
    public static Tensor Backward(Tensor pitchScoreGradient, Tensor features) =>
        features.matmul(pitchScoreGradient.unsqueeze(-1)).squeeze(-1);
}
