using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// G draws a tone's length after its pitch and time (<see cref="ModelConfig.LengthAfterPitch"/>): to each length's score
/// it adds a learnt score of that length given the pitch drawn and one given the time drawn. Drawn from one state
/// side by side, a bass tone and a tune's note got lengths from the same distribution, and at a temperature below 1 the
/// most common length; held bass tones under short notes, or a long last note of a phrase, need the length to know the
/// pitch and the time (issue 21: the spread of tone lengths was a first give-away). The drawn pitch and time enter as
/// their one-hots and pass no gradient, as the draws that made them pass none.
/// </summary>
public sealed class LengthAfterPitch : nn.Module
{
    private const int Pitches = Data.Tuning.MaxPitch + 1;
    private readonly Linear _scores;
    private readonly int _pitchAt, _timeAt, _times, _lengthAt, _lengths;

    /// <param name="pitchAt">Where the pitch one-hot lies in an event, and its scores in G's raw output; likewise
    /// <paramref name="timeAt"/> for the time's <paramref name="times"/> entries (0 entries: G says the time as a
    /// number) and <paramref name="lengthAt"/> for the length's <paramref name="lengths"/>.</param>
    public LengthAfterPitch(int pitchAt, int timeAt, int times, int lengthAt, int lengths) : base(nameof(LengthAfterPitch))
    {
        (_pitchAt, _timeAt, _times, _lengthAt, _lengths) = (pitchAt, timeAt, times, lengthAt, lengths);
        _scores = nn.Linear(Pitches + times, lengths, hasBias: false);
        using (no_grad()) _scores.weight!.zero_(); // a new G scores lengths as it would without this
        RegisterComponents();
    }

    internal Linear Scores => _scores;

    /// <summary>The pitch and time one-hots of events (…, outputs) as this reads them (…, pitches + times).</summary>
    public Tensor Drawn(Tensor events)
    {
        var pitch = events[TensorIndex.Ellipsis, _pitchAt..(_pitchAt + Pitches)];
        return (_times == 0 ? pitch : cat([pitch, events[TensorIndex.Ellipsis, _timeAt..(_timeAt + _times)]], dim: -1)).detach();
    }

    /// <summary>As <see cref="Drawn"/> from one step's scores plus noise (batch, scores) that start at
    /// <paramref name="scoresAt"/> of G's output: the pitch and time that step draws.</summary>
    public Tensor DrawnFrom(Tensor noisyScores, int scoresAt)
    {
        Tensor OneHot(int at, int count) =>
            nn.functional.one_hot(noisyScores[.., (at - scoresAt)..(at - scoresAt + count)].argmax(1), count).to(ScalarType.Float32);
        return _times == 0 ? OneHot(_pitchAt, Pitches) : cat([OneHot(_pitchAt, Pitches), OneHot(_timeAt, _times)], dim: 1);
    }

    /// <summary>G's raw output (…, outputs) with the scores of each length given <paramref name="drawn"/> added to the length's.</summary>
    public Tensor AddTo(Tensor raw, Tensor drawn)
    {
        var lengths = raw[TensorIndex.Ellipsis, _lengthAt..(_lengthAt + _lengths)] + _scores.call(drawn);
        return cat([raw[TensorIndex.Ellipsis, .._lengthAt], lengths, raw[TensorIndex.Ellipsis, (_lengthAt + _lengths)..]], dim: -1);
    }

    /// <summary>The gradient of the length scores in a step's gradient of G's raw output (batch, outputs).</summary>
    internal Tensor LengthGradient(Tensor rawGradient) => rawGradient[.., _lengthAt..(_lengthAt + _lengths)];
}
