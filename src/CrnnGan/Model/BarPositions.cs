using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// Where in a bar G's onsets fall (<see cref="ModelConfig.BarPositions"/>): positions are counted from the song's first
/// onset, on G's time grid, around a bar of four quarter notes. G reads the previous onset's position as a one-hot
/// (so the LSTM knows where in the bar it stands without adding up its times), and from its last hidden state scores
/// every position; each time G can choose gains the score of the position it would put the onset at. Landing on the
/// beat is then one score whatever the step came from, as an interval is for the pitch (<see cref="PitchIntervalScores"/>);
/// an LSTM that had to add times modulo a bar in its state wrote onsets that fall anywhere (issue 21).
/// Positions are read from the events' time one-hots and pass no gradient (the draws that made them pass none either).
/// </summary>
public sealed class BarPositions : nn.Module
{
    public const int BarTicks = 4 * Data.EventLayout.NormalizedTicksPerQuarter;

    private readonly Linear _scores;
    private readonly Linear _input;
    private readonly long[] _steps; // per time entry, how many grid steps it moves the onset, modulo the bar
    private readonly int _bins, _timeAt;

    /// <param name="grid">G's time grid in ticks, a divisor of <see cref="BarTicks"/>.</param>
    /// <param name="timeAt">Where the time scores lie in G's raw output, and the time one-hot in an emitted event.</param>
    public BarPositions(int hidden, int grid, int timeAt) : base(nameof(BarPositions))
    {
        if (grid < 1 || BarTicks % grid != 0) throw new ArgumentException($"a bar of {BarTicks} ticks is no whole number of grid steps of {grid}", nameof(grid));
        _bins = BarTicks / grid;
        _timeAt = timeAt;
        _steps = ChoiceHead.TimeTicks(grid).Select(t => (long)(t / grid % _bins)).ToArray();
        _scores = nn.Linear(hidden, _bins);
        _input = nn.Linear(_bins, hidden, hasBias: false);
        RegisterComponents();
    }

    /// <summary>Positions in a bar, in grid steps.</summary>
    public int Bins => _bins;

    private int Entries => _steps.Length;

    internal Linear Scores => _scores;
    internal Linear Input => _input;

    /// <summary>The position of an event (batch) from its predecessor's (null: it is the first, at 0) and the event itself
    /// (batch, outputs) with its time one-hot.</summary>
    public Tensor Next(Tensor? previousPosition, Tensor emitted)
    {
        if (previousPosition is null) return zeros(emitted.shape[0], dtype: ScalarType.Int64, device: emitted.device);
        var step = Steps(emitted.device)[emitted[.., _timeAt..(_timeAt + Entries)].argmax(-1)];
        return (previousPosition + step).remainder(_bins);
    }

    /// <summary>Every step's previous-onset position for events (batch, length, outputs) read in order: (batch, length),
    /// step t holding event t - 1's position; step 0's is 0 and <see cref="Valid"/> masks it out.</summary>
    public Tensor PreviousPositions(Tensor events)
    {
        using var scope = NewDisposeScope();
        long length = events.shape[1];
        var steps = Steps(events.device)[events[.., .., _timeAt..(_timeAt + Entries)].argmax(-1)];
        steps[.., 0] = 0;
        var positions = steps.cumsum(1).remainder(_bins);
        return cat([zeros_like(positions[.., ..1]), positions[.., ..(int)(length - 1)]], dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>(1, length, 1): 1 at the steps that have a previous onset whose position is known (all but a song's first), else 0.</summary>
    public static Tensor Valid(long length, Device device) => arange(length, device: device).gt(0).to(ScalarType.Float32).view(1, length, 1);

    /// <summary>G's input of the previous onset's position (…, hidden): the one-hot of <paramref name="previousPosition"/>, 0 where
    /// not <paramref name="valid"/> (null: valid everywhere; a song's first step adds none of this).</summary>
    public Tensor InputOf(Tensor previousPosition, Tensor? valid = null) => _input.call(OneHot(previousPosition, valid));

    /// <summary>The one-hot G's input layer reads (…, bins).</summary>
    internal Tensor OneHot(Tensor previousPosition, Tensor? valid = null)
    {
        var oneHot = nn.functional.one_hot(previousPosition, _bins).to(ScalarType.Float32);
        return valid is null ? oneHot : oneHot * valid;
    }

    /// <summary>Raw output (…, outputs) with each time's score raised by that of the position it would put the onset at,
    /// scored from G's last hidden state (…, hidden).</summary>
    public Tensor AddTo(Tensor raw, Tensor hidden, Tensor previousPosition, Tensor? valid = null)
    {
        using var scope = NewDisposeScope();
        var added = _scores.call(hidden).gather(-1, Landing(previousPosition));
        if (valid is not null) added = added * valid;
        return cat([raw[TensorIndex.Ellipsis, .._timeAt], raw[TensorIndex.Ellipsis, _timeAt..(_timeAt + Entries)] + added,
            raw[TensorIndex.Ellipsis, (_timeAt + Entries)..]], dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>The gradient of one step's position scores (batch, bins) from that of the time scores (batch, entries) they were added to.</summary>
    internal Tensor Backward(Tensor timeScoreGradient, Tensor previousPosition) =>
        zeros(timeScoreGradient.shape[0], _bins, dtype: timeScoreGradient.dtype, device: timeScoreGradient.device)
            .scatter_add_(1, Landing(previousPosition), timeScoreGradient);

    private Tensor Steps(Device device) => tensor(_steps, device: device);

    /// <summary>For each time entry, the position (…, entries) it puts the onset at.</summary>
    private Tensor Landing(Tensor previousPosition) => (previousPosition.unsqueeze(-1) + Steps(previousPosition.device)).remainder(_bins);
}
