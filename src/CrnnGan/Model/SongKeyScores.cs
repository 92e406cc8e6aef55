using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// Scores from the song's key added to G's scores of the pitches (<see cref="ModelConfig.SongKeyScores"/>): a learnt
/// 12 x 12 map from the song's pitch-class shares among its traits (<see cref="SongTraits"/>, normalised) to a score per
/// pitch class, added to every pitch of that class at every step. Read only as an input, the key traits were followed
/// loosely (the realised share of each class correlated 0.44-0.74 with the share asked for), and the distance from the
/// tonic gave the songs away on its own; as a score, "stay in the song's key" is one weight per class pair whatever G's
/// state. Starts at zero, so G pretrains as it would without it.
/// </summary>
/// <remarks>The scores do not depend on G's state: the hand-written backward pass of the adversarial phase
/// (<see cref="GeneratorTape"/>) leaves them out, so the map is learnt in pretraining and kept after.</remarks>
public sealed class SongKeyScores : nn.Module
{
    private const int Pitches = Data.Tuning.MaxPitch + 1;
    private const int Classes = 12;
    private readonly Linear _weights;
    private readonly int _pitchAt;

    /// <param name="pitchAt">Where the pitch scores lie in G's raw output.</param>
    public SongKeyScores(int pitchAt) : base(nameof(SongKeyScores))
    {
        _pitchAt = pitchAt;
        _weights = nn.Linear(Classes, Classes, hasBias: false);
        using (no_grad()) _weights.weight!.zero_();
        RegisterComponents();
    }

    /// <summary>Each song's score of each pitch (songs, 128) from its normalised key traits (songs, 12).</summary>
    public Tensor PitchScores(Tensor keyTraits)
    {
        using var scope = NewDisposeScope();
        var perClass = _weights.call(keyTraits);
        return cat(Enumerable.Repeat(perClass, 11).ToArray(), dim: -1)[.., ..Pitches].MoveToOuterDisposeScope();
    }

    /// <summary>G's raw output (songs, outputs) or (songs, length, outputs) with <paramref name="pitchScores"/> (songs, 128) added to its pitch scores.</summary>
    public Tensor AddTo(Tensor raw, Tensor pitchScores)
    {
        var scores = raw.dim() == 3 ? pitchScores.unsqueeze(1) : pitchScores;
        var pitch = raw[TensorIndex.Ellipsis, _pitchAt..(_pitchAt + Pitches)] + scores;
        return cat([raw[TensorIndex.Ellipsis, .._pitchAt], pitch, raw[TensorIndex.Ellipsis, (_pitchAt + Pitches)..]], dim: -1);
    }
}
