using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// Scores of intervals from the previous pitch, added to G's scores of the pitches (<see cref="ModelConfig.PitchIntervals"/>):
/// from G's last hidden state, one score per interval of -widest to +widest semitones; pitch p's score gains that of
/// the interval p - previous pitch (pitches farther away gain nothing). The previous pitch is the entry of the previous
/// event's one-hot; it passes no gradient through this sum (the draw that made it passes none either).
/// </summary>
public sealed class PitchIntervalScores : nn.Module
{
    private const int Pitches = Data.Tuning.MaxPitch + 1;
    private readonly Linear _scores;
    private readonly int _widest, _pitchAt;

    /// <param name="pitchAt">Where the pitch scores lie in G's raw output, and the pitch one-hot in an emitted event.</param>
    public PitchIntervalScores(int hidden, int widest, int pitchAt) : base(nameof(PitchIntervalScores))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(widest, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(widest, Pitches - 1);
        _widest = widest;
        _pitchAt = pitchAt;
        _scores = nn.Linear(hidden, 2 * widest + 1);
        RegisterComponents();
    }

    internal Linear Scores => _scores;

    /// <summary>G's raw output (…, outputs) with each pitch's score raised by its interval's, from G's last hidden
    /// state (…, hidden) and the event G read at that step (…, outputs).</summary>
    public Tensor AddTo(Tensor raw, Tensor hidden, Tensor previous)
    {
        using var scope = NewDisposeScope();
        var padded = nn.functional.pad(_scores.call(hidden), [Pitches - 1 - _widest, Pitches - 1 - _widest]);
        var added = padded.gather(-1, Index(previous));
        var pitchScores = raw[TensorIndex.Ellipsis, _pitchAt..(_pitchAt + Pitches)] + added;
        return cat([raw[TensorIndex.Ellipsis, .._pitchAt], pitchScores, raw[TensorIndex.Ellipsis, (_pitchAt + Pitches)..]], dim: -1)
            .MoveToOuterDisposeScope();
    }

    /// <summary>The gradient of the interval scores (batch, 2 widest + 1) from that of the pitch scores they were added
    /// to (batch, 128) at a step that read <paramref name="previous"/> (batch, outputs): the tape's part of <see cref="AddTo"/>.</summary>
    internal Tensor Backward(Tensor pitchScoreGradient, Tensor previous)
    {
        using var scope = NewDisposeScope();
        var padded = zeros(pitchScoreGradient.shape[0], 2 * Pitches - 1, dtype: pitchScoreGradient.dtype, device: pitchScoreGradient.device)
            .scatter_add_(1, Index(previous), pitchScoreGradient);
        return padded[.., (Pitches - 1 - _widest)..(Pitches + _widest)].MoveToOuterDisposeScope();
    }

    /// <summary>For each pitch, where its interval from the previous pitch lies among the padded interval scores.</summary>
    private Tensor Index(Tensor previous)
    {
        var previousPitch = previous[TensorIndex.Ellipsis, _pitchAt..(_pitchAt + Pitches)].argmax(-1, keepdim: true);
        return arange(Pitches, dtype: ScalarType.Int64, device: previous.device) - previousPitch + (Pitches - 1);
    }
}
