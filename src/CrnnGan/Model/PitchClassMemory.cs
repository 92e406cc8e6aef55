using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// Scores of how much each pitch's class has sounded so far in the song, added to G's scores of the pitches
/// (<see cref="ModelConfig.PitchClassMemory"/>): from G's last hidden state two weights, one times the share of the
/// song's earlier tones in the pitch's class (times 12) and one where that class has not sounded yet. Staying in the song's key
/// is then two scores whatever the key, where G otherwise had to keep the key in its LSTM state from its last few
/// intervals, and drifted out of it (in-scale share and the distance from the tonic gave its songs away, issue 21).
/// The earlier pitches are the entries of their one-hots and pass no gradient (the draws that made them pass none either).
/// </summary>
public sealed class PitchClassMemory : nn.Module
{
    private const int Pitches = Data.Tuning.MaxPitch + 1;
    private const int Classes = 12;
    private readonly Linear _weights;
    private readonly int _pitchAt;

    /// <param name="pitchAt">Where the pitch scores lie in G's raw output, and the pitch one-hot in an emitted event.</param>
    public PitchClassMemory(int hidden, int pitchAt) : base(nameof(PitchClassMemory))
    {
        _pitchAt = pitchAt;
        _weights = nn.Linear(hidden, 2);
        RegisterComponents();
    }

    internal Linear Weights => _weights;

    /// <summary>How many tones of each class an event holds (…, 12), from its pitch one-hot.</summary>
    public Tensor ClassesOf(Tensor events)
    {
        var oneHot = events[TensorIndex.Ellipsis, _pitchAt..(_pitchAt + Pitches)];
        var padded = nn.functional.pad(oneHot, [0, 11 * Classes - Pitches]);
        var shape = oneHot.shape.ToArray();
        return padded.reshape([.. shape[..^1], 11, Classes]).sum(-2);
    }

    /// <summary>What each step knows of the song's pitch classes for events (batch, length, outputs) read in order:
    /// (batch, length, 12), step t holding the counts of events 0 to t - 1 (step 0: none).</summary>
    public Tensor CountsBefore(Tensor events)
    {
        using var scope = NewDisposeScope();
        var counts = ClassesOf(events).cumsum(1);
        return cat([zeros_like(counts[.., ..1]), counts[.., ..(int)(events.shape[1] - 1)]], dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Per pitch, the share of the earlier tones in its class and whether its class is unheard (…, 2, 128), from counts (…, 12).</summary>
    internal static Tensor Features(Tensor counts)
    {
        using var scope = NewDisposeScope();
        // Times 12, so that a class heard as often as all others on average has 1: an Adam step then moves the score
        // by about as much as the other scores' (the share of one class alone is small).
        var shares = counts * Classes / counts.sum(-1, keepdim: true).clamp_min(1);
        var perPitch = cat(Enumerable.Repeat(shares, 11).ToArray(), dim: -1)[TensorIndex.Ellipsis, ..Pitches];
        var unheard = perPitch.eq(0).to(perPitch.dtype);
        return stack([perPitch, unheard], dim: -2).MoveToOuterDisposeScope();
    }

    /// <summary>Raw output (…, outputs) with each pitch's score raised by its class's, weighted from G's last hidden state (…, hidden).</summary>
    public Tensor AddTo(Tensor raw, Tensor hidden, Tensor counts)
    {
        using var features = Features(counts);
        return WeightedPitchFeatures.AddTo(raw, _pitchAt, _weights, hidden, features);
    }

    /// <summary>The gradient of one step's two weights (batch, 2) from that of the pitch scores (batch, 128) they were added to.</summary>
    internal static Tensor Backward(Tensor pitchScoreGradient, Tensor counts)
    {
        using var features = Features(counts);
        return WeightedPitchFeatures.Backward(pitchScoreGradient, features);
    }
}
