using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// Scores of intervals from earlier pitches, added to G's scores of the pitches (<see cref="ModelConfig.PitchIntervals"/>):
/// from G's last hidden state, for each lag k = 1..lags one score per interval of -widest to +widest semitones; pitch
/// p's score gains, for each k, that of the interval from the pitch k events back (pitches farther away gain nothing;
/// before the song's start nothing). Lag 1 is the previous event; with chords written from the lowest tone up, a tune's
/// previous note is often two or three events back, and a repeated figure's pitch as many events back as it is long.
/// The earlier pitches are the entries of their one-hots and pass no gradient through this sum (the draws that made
/// them pass none either). With <c>chords</c> there are two sets of interval scores: one for a tone that joins the
/// previous event's onset (its chosen time since the previous onset is 0: a chord's next tone, whose intervals are
/// thirds, fifths and octaves up) and one for a tone that starts a new onset (a tune's next note or a new bass); G
/// draws the time first and scores the pitch with the set it calls for (<see cref="ModelConfig.ChordIntervals"/>).
/// </summary>
public sealed class PitchIntervalScores : nn.Module
{
    private const int Pitches = Data.Tuning.MaxPitch + 1;
    private readonly Linear _scores;
    private readonly int _widest, _lags, _pitchAt;
    private readonly bool _chords;

    /// <param name="pitchAt">Where the pitch scores lie in G's raw output, and the pitch one-hot in an emitted event.</param>
    public PitchIntervalScores(int hidden, int widest, int lags, int pitchAt, bool chords = false) : base(nameof(PitchIntervalScores))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(widest, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(widest, Pitches - 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lags, 1);
        _widest = widest;
        _lags = lags;
        _pitchAt = pitchAt;
        _chords = chords;
        _scores = nn.Linear(hidden, (chords ? 2 : 1) * lags * Width);
        RegisterComponents();
    }

    /// <summary>Whether a tone joining the previous onset has interval scores of its own.</summary>
    public bool Chords => _chords;

    private int Width => 2 * _widest + 1;

    internal Linear Scores => _scores;

    /// <summary>One step's raw output (batch, outputs) with each pitch's score raised by its intervals', from G's last
    /// hidden state (batch, hidden) and the events read so far (<paramref name="read"/>[s]: event s - 1 as the steps after
    /// it read it, [0] the first "previous event"; the step reads the last). With <see cref="Chords"/>,
    /// <paramref name="sameOnset"/> (batch, 1) is 1 where the step's tone joins the previous onset, else 0.</summary>
    public Tensor AddTo(Tensor raw, Tensor hidden, IReadOnlyList<Tensor> read, Tensor? sameOnset = null)
    {
        using var scope = NewDisposeScope();
        var scores = Select(_scores.call(hidden), sameOnset);
        var added = zeros_like(raw[.., _pitchAt..(_pitchAt + Pitches)]);
        for (int k = 1; k <= _lags && k <= read.Count; k++)
            added = added + Padded(scores[.., ((k - 1) * Width)..(k * Width)]).gather(-1, Index(read[read.Count - k]));
        return WithPitchScores(raw, added).MoveToOuterDisposeScope();
    }

    /// <summary>As <see cref="AddTo(Tensor, Tensor, IReadOnlyList{Tensor}, Tensor?)"/> for every step at once: raw (batch, length,
    /// outputs), hidden (batch, length, hidden), and the events each step read as its previous event (batch, length, outputs);
    /// <paramref name="sameOnset"/> (batch, length, 1) as there.</summary>
    public Tensor AddTo(Tensor raw, Tensor hidden, Tensor previous, Tensor? sameOnset = null)
    {
        using var scope = NewDisposeScope();
        long length = raw.shape[1];
        var scores = Select(_scores.call(hidden), sameOnset);
        var added = zeros_like(raw[.., .., _pitchAt..(_pitchAt + Pitches)]);
        for (int k = 1; k <= _lags && k <= length; k++)
        {
            var lagged = Padded(scores[.., (k - 1).., ((k - 1) * Width)..(k * Width)]).gather(-1, Index(previous[.., ..(int)(length - k + 1)]));
            added = added + nn.functional.pad(lagged, [0, 0, k - 1, 0]);
        }
        return WithPitchScores(raw, added).MoveToOuterDisposeScope();
    }

    /// <summary>The gradient of one step's interval scores (batch, the outputs of <see cref="Scores"/>) from that of the
    /// pitch scores they were added to (batch, 128), the step having read <paramref name="read"/> as in
    /// <see cref="AddTo(Tensor, Tensor, IReadOnlyList{Tensor}, Tensor?)"/>.</summary>
    internal Tensor Backward(Tensor pitchScoreGradient, IReadOnlyList<Tensor> read, Tensor? sameOnset = null)
    {
        if (!_chords) return SelectedBackward(pitchScoreGradient, read);
        using var scope = NewDisposeScope();
        var selected = SelectedBackward(pitchScoreGradient, read);
        return cat([selected * (1 - sameOnset!), selected * sameOnset!], dim: 1).MoveToOuterDisposeScope();
    }

    private Tensor SelectedBackward(Tensor pitchScoreGradient, IReadOnlyList<Tensor> read)
    {
        using var scope = NewDisposeScope();
        var parts = new Tensor[_lags];
        for (int k = 1; k <= _lags; k++)
            parts[k - 1] = k > read.Count
                ? zeros(pitchScoreGradient.shape[0], Width, dtype: pitchScoreGradient.dtype, device: pitchScoreGradient.device)
                : zeros(pitchScoreGradient.shape[0], 2 * Pitches - 1, dtype: pitchScoreGradient.dtype, device: pitchScoreGradient.device)
                    .scatter_add_(1, Index(read[read.Count - k]), pitchScoreGradient)[.., (Pitches - 1 - _widest)..(Pitches + _widest)];
        return cat(parts, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>The interval scores of each tone: the new-onset set, or with <see cref="Chords"/> where the tone joins
    /// the previous onset, the chord set.</summary>
    private Tensor Select(Tensor scores, Tensor? sameOnset)
    {
        if (!_chords) return scores;
        if (sameOnset is null) throw new ArgumentException("interval scores for chords need to know which tones join the previous onset", nameof(sameOnset));
        long half = _lags * Width;
        var newOnset = scores[TensorIndex.Ellipsis, ..(int)half];
        return newOnset + sameOnset * (scores[TensorIndex.Ellipsis, (int)half..] - newOnset);
    }

    private Tensor WithPitchScores(Tensor raw, Tensor added) => PitchScores.Add(raw, _pitchAt, added);

    /// <summary>Interval scores (…, 2 widest + 1) padded with zeros to every interval from -127 to 127.</summary>
    private Tensor Padded(Tensor intervalScores) => nn.functional.pad(intervalScores, [Pitches - 1 - _widest, Pitches - 1 - _widest]);

    /// <summary>For each pitch, where its interval from the earlier event's pitch lies among the padded interval scores.</summary>
    private Tensor Index(Tensor earlier)
    {
        var earlierPitch = earlier[TensorIndex.Ellipsis, _pitchAt..(_pitchAt + Pitches)].argmax(-1, keepdim: true);
        return arange(Pitches, dtype: ScalarType.Int64, device: earlier.device) - earlierPitch + (Pitches - 1);
    }
}
