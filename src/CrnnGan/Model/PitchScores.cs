using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>What the parts that score G's choices share: adding their scores to a column of scores in G's raw output
/// (the 128 pitch scores, or the 127 velocity scores).</summary>
internal static class PitchScores
{
    /// <summary><paramref name="raw"/> (…, outputs) with <paramref name="added"/> (…, n) added to the n scores at <paramref name="at"/>.</summary>
    public static Tensor Add(Tensor raw, int at, Tensor added)
    {
        int n = (int)added.shape[^1];
        return cat([raw[TensorIndex.Ellipsis, ..at], raw[TensorIndex.Ellipsis, at..(at + n)] + added,
            raw[TensorIndex.Ellipsis, (at + n)..]], dim: -1);
    }
}
