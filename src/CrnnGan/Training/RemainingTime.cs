namespace CrnnGan.Training;

/// <summary>
/// How long a run has left: the one estimate both the progress line during an epoch (<see cref="During"/>) and the
/// epoch's summary line (<see cref="After"/>) print. An epoch's wall time is its training, which grows with the window
/// length (the curriculum) and costs more per event in adversarial epochs than in pretraining, plus what follows it
/// (sampling and measuring validation songs, the checkpoint, the pictures), which does not grow with the length. Each
/// is carried forward by phase from the last epoch that measured it; within an epoch, the rate of its batches so far
/// takes over from the carried one as the epoch goes on, so that the estimate moves smoothly from one epoch line to
/// the next.
/// </summary>
public sealed class RemainingTime(TrainingConfig config)
{
    /// <summary>Before any epoch of a phase has been timed, it is taken to train this many times slower per event
    /// (adversarial) or faster (pretraining) than the other: D's passes and G's adversarial pass against G's one
    /// teacher-forced pass (measured 5-8 on the synthetic corpus).</summary>
    public const double AdversarialCostFactor = 6;

    /// <summary>A bound on the time left (over 3000 years), so that a slow first batch of a long run never overflows TimeSpan.</summary>
    public const double MaxSeconds = 1e11;

    // Seconds per batch and event of window length, and seconds after an epoch's training, by phase. The first epoch of
    // a process also loads and compiles the code it runs, so its figures stand in only until a later epoch is timed.
    private readonly Dictionary<TrainingPhase, double> _secondsPerEvent = [];
    private readonly Dictionary<TrainingPhase, double> _overheadSeconds = [];
    private readonly Dictionary<TrainingPhase, double> _firstSecondsPerEvent = [];
    private readonly Dictionary<TrainingPhase, double> _firstOverheadSeconds = [];
    private int _batchesPerEpoch;
    private int _epochsTimed;

    /// <summary>Adds a finished epoch: its record (training seconds, phase, length, batches) and its whole wall time.</summary>
    public void Add(EpochRecord record, TimeSpan wall)
    {
        bool first = ++_epochsTimed == 1;
        _batchesPerEpoch = Math.Max(1, record.Batches);
        var rates = first ? _firstSecondsPerEvent : _secondsPerEvent;
        var overheads = first ? _firstOverheadSeconds : _overheadSeconds;
        if (record.Seconds > 0) rates[record.Phase] = record.Seconds / ((double)record.Length * _batchesPerEpoch);
        overheads[record.Phase] = Math.Max(0, wall.TotalSeconds - record.Seconds);
    }

    /// <summary>The time left after <paramref name="epochsDone"/> whole epochs; null until an epoch has been timed.</summary>
    public TimeSpan? After(int epochsDone)
    {
        if (!Known(_secondsPerEvent) && !Known(_firstSecondsPerEvent)) return null;
        return Bounded(Epochs(epochsDone, _batchesPerEpoch, null));
    }

    /// <summary>
    /// The time left during an epoch, after <see cref="TrainingProgress.Batch"/> of its batches took
    /// <see cref="TrainingProgress.Seconds"/>: the rest of its batches, what follows its training, and the epochs after
    /// it. Null before its first batch when no epoch has been timed.
    /// </summary>
    public TimeSpan? During(TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        int epoch = progress.Epoch - 1, batches = Math.Max(1, progress.Batches), done = Math.Clamp(progress.Batch, 0, batches);
        double? measured = done > 0 && progress.Seconds > 0 ? progress.Seconds / ((double)done * progress.Length) : null;
        // The epoch's own rate weighs as much as the share of its batches done: all of it at the epoch's end, as in the
        // summary line that follows, none at its start, as in the summary line before. A rate carried from the first
        // epoch alone (warming up) gives way at once to any measured since.
        double share = (double)done / batches;
        double? carried = _secondsPerEvent.TryGetValue(progress.Phase, out double timed) ? timed : null;
        double? rate = measured is double m ? carried is double c ? share * m + (1 - share) * c : m : Carried(progress.Phase);
        if (rate is null && !Known(_secondsPerEvent) && !Known(_firstSecondsPerEvent)) return null;
        rate ??= SecondsPerEvent(progress.Phase, null);
        double seconds = rate.Value * (batches - done) * progress.Length + OverheadAfterTraining(progress.Phase)
                         + Epochs(epoch + 1, batches, (progress.Phase, rate.Value));
        return Bounded(seconds);
    }

    /// <summary>Seconds of the epochs from <paramref name="from"/> (0-based) to the run's end, each phase at its carried
    /// rate or at <paramref name="current"/> (the rate measured in the epoch under way, for its phase).</summary>
    private double Epochs(int from, int batches, (TrainingPhase Phase, double Rate)? current)
    {
        double seconds = 0;
        for (int epoch = Math.Max(0, from); epoch < config.Run.Epochs; epoch++)
        {
            var phase = config.PhaseAt(epoch);
            seconds += SecondsPerEvent(phase, current) * config.LengthAt(epoch) * batches + OverheadAfterTraining(phase);
        }
        return seconds;
    }

    private double SecondsPerEvent(TrainingPhase phase, (TrainingPhase Phase, double Rate)? current)
    {
        if (current is var (currentPhase, rate) && currentPhase == phase) return rate;
        if (Carried(phase) is double carried) return carried;
        var (otherPhase, other) = current ?? Any(_secondsPerEvent) ?? Any(_firstSecondsPerEvent)
            ?? throw new InvalidOperationException("no epoch has been timed");
        return otherPhase == phase ? other
            : phase == TrainingPhase.Pretraining ? other / AdversarialCostFactor : other * AdversarialCostFactor;
    }

    /// <summary>The carried rate of a phase: its last timed epoch after the first, or else the first epoch's.</summary>
    private double? Carried(TrainingPhase phase) =>
        _secondsPerEvent.TryGetValue(phase, out double rate) ? rate
        : _firstSecondsPerEvent.TryGetValue(phase, out double first) ? first
        : null;

    /// <summary>Seconds of what follows an epoch's training in the phase: as last measured for the phase, else for the
    /// other phase, else (before any epoch ended) nothing known, 0.</summary>
    public double OverheadAfterTraining(TrainingPhase phase) =>
        _overheadSeconds.TryGetValue(phase, out double seconds) ? seconds
        : _overheadSeconds.Count > 0 ? _overheadSeconds.Values.First()
        : _firstOverheadSeconds.TryGetValue(phase, out double first) ? first
        : _firstOverheadSeconds.Count > 0 ? _firstOverheadSeconds.Values.First()
        : 0;

    private static bool Known(Dictionary<TrainingPhase, double> rates) => rates.Count > 0;

    private static (TrainingPhase, double)? Any(Dictionary<TrainingPhase, double> rates) =>
        rates.Count > 0 ? (rates.Keys.First(), rates.Values.First()) : null;

    private static TimeSpan Bounded(double seconds) => TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxSeconds));
}
