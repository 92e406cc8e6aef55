namespace CrnnGan.Training;

/// <summary>
/// How long a run has left, from the wall time of the epochs so far. An epoch's wall time is its training (which
/// grows with the window length and differs by phase) plus what follows it (sampling and measuring songs, the
/// checkpoint, the pictures), which does not; each is carried forward from the last epoch that measured it.
/// </summary>
public sealed class RemainingTime(TrainingConfig config)
{
    /// <summary>Before any adversarial epoch has run, one is taken to train this many times slower per event than
    /// pretraining (D's passes and G's adversarial pass against G's one teacher-forced pass; measured 5-8 on the
    /// synthetic corpus).</summary>
    public const double AdversarialCostFactor = 6;

    private readonly Dictionary<TrainingPhase, double> _secondsPerEvent = [];
    private double _overheadSeconds;
    private int _batchesPerEpoch;
    private int _epochsTimed;

    /// <summary>Adds a finished epoch: its record (training seconds, phase, length) and its whole wall time.</summary>
    public void Add(EpochRecord record, TimeSpan wall)
    {
        // The first epoch of a process also loads and compiles the code it runs: it says little about the next.
        if (++_epochsTimed == 1) return;
        _batchesPerEpoch = Math.Max(1, record.Batches);
        double events = (double)record.Length * _batchesPerEpoch;
        if (record.Seconds > 0) _secondsPerEvent[record.Phase] = record.Seconds / events;
        _overheadSeconds = Math.Max(0, wall.TotalSeconds - record.Seconds);
    }

    /// <summary>The time left after <paramref name="epochsDone"/> epochs; null until an epoch after the first has been timed.</summary>
    public TimeSpan? After(int epochsDone)
    {
        if (_secondsPerEvent.Count == 0) return null;
        double seconds = 0;
        for (int epoch = epochsDone; epoch < config.Run.Epochs; epoch++)
            seconds += SecondsPerEvent(config.PhaseAt(epoch)) * config.LengthAt(epoch) * _batchesPerEpoch + _overheadSeconds;
        return TimeSpan.FromSeconds(seconds);
    }

    private double SecondsPerEvent(TrainingPhase phase)
    {
        if (_secondsPerEvent.TryGetValue(phase, out double known)) return known;
        double other = _secondsPerEvent.Values.First();
        return phase == TrainingPhase.Pretraining ? other / AdversarialCostFactor : other * AdversarialCostFactor;
    }
}
