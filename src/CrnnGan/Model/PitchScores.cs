using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>What the parts that score G's pitches share: adding their scores to the 128 pitch scores in G's raw output.</summary>
internal static class PitchScores
{
    private const int Pitches = Data.Tuning.MaxPitch + 1;

    /// <summary><paramref name="raw"/> (…, outputs) with <paramref name="added"/> (…, 128) added to the pitch scores at <paramref name="pitchAt"/>.</summary>
    public static Tensor Add(Tensor raw, int pitchAt, Tensor added) =>
        cat([raw[TensorIndex.Ellipsis, ..pitchAt], raw[TensorIndex.Ellipsis, pitchAt..(pitchAt + Pitches)] + added,
            raw[TensorIndex.Ellipsis, (pitchAt + Pitches)..]], dim: -1);
}
