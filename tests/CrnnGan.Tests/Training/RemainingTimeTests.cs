using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

/// <summary>The time a run has left, as both the progress lines during an epoch and the epoch lines of <c>train</c> print it.</summary>
public class RemainingTimeTests
{
    // 4 epochs: 2 of pretraining at lengths 10 and 20, then 2 adversarial at 20 (curriculum step 10, length 20).
    private static readonly TrainingConfig Config = new TrainingConfig() with
    {
        Data = new DataSettings { Length = 20 },
        Run = new RunSettings { Epochs = 4, PretrainEpochs = 2, CurriculumStep = 10 },
    };

    private static EpochRecord Epoch(int epoch, TrainingPhase phase, int length, double seconds) =>
        new() { Epoch = epoch, Phase = phase, Length = length, Batches = 5, Seconds = seconds };

    private static TrainingProgress Progress(int epoch, TrainingPhase phase, int length, int batch, int batches, double seconds) =>
        new(epoch, Config.Run.Epochs, phase, length, batch, batches, 0, 0, 0, 0, 0, 0, seconds);

    [Fact]
    public void TheFirstEpochStandsInUntilALaterOneIsTimed()
    {
        var remaining = new RemainingTime(Config);
        Assert.Null(remaining.After(0));
        Assert.Null(remaining.During(Progress(1, TrainingPhase.Pretraining, 10, 0, 5, 0)));
        // Warming up: 50 events in 3 s, then 4 s measuring.
        remaining.Add(Epoch(1, TrainingPhase.Pretraining, 10, 3), TimeSpan.FromSeconds(7));
        double pretraining = 3.0 / 50, adversarial = pretraining * RemainingTime.AdversarialCostFactor;
        Assert.Equal(pretraining * 100 + 4 + 2 * (adversarial * 100 + 4), remaining.After(1)!.Value.TotalSeconds, 6);

        // 100 events in 1 s of training, 0.5 s measuring: pretraining at 0.01 s per event, the first epoch forgotten.
        remaining.Add(Epoch(2, TrainingPhase.Pretraining, 20, 1), TimeSpan.FromSeconds(1.5));
        Assert.Equal(2 * (0.01 * RemainingTime.AdversarialCostFactor * 100 + 0.5), remaining.After(2)!.Value.TotalSeconds, 6);
    }

    [Fact]
    public void TrainingScalesWithTheLengthAndTheTimeAfterTrainingIsCarriedForwardByPhase()
    {
        var remaining = new RemainingTime(Config);
        remaining.Add(Epoch(1, TrainingPhase.Pretraining, 10, 30), TimeSpan.FromSeconds(40)); // warming up
        remaining.Add(Epoch(2, TrainingPhase.Pretraining, 20, 2), TimeSpan.FromSeconds(2.5));
        // Once an adversarial epoch is timed, its own rate and its own time after training count: 100 events in 5 s, 3 s measuring.
        remaining.Add(Epoch(3, TrainingPhase.Adversarial, 20, 5), TimeSpan.FromSeconds(8));
        Assert.Equal(8, remaining.After(3)!.Value.TotalSeconds, 6);
        Assert.Equal(TimeSpan.Zero, remaining.After(4));
    }

    /// <summary>
    /// A steady run of 12 epochs (curriculum 8 to 32 events, 6 of them adversarial, 5 times as slow per event as
    /// pretraining, not the assumed 6; 2 s of validation after each): its epochs are simulated batch by batch, and every
    /// figure the progress lines and the epoch lines would print is compared with the time the run really has left.
    /// </summary>
    [Fact]
    public void InEpochAndEndOfEpochFiguresAgree_FallSteadily_AndComeCloseToTheTruth()
    {
        var config = new TrainingConfig() with
        {
            Data = new DataSettings { Length = 32 },
            Run = new RunSettings { Epochs = 12, PretrainEpochs = 6, CurriculumStep = 8 },
        };
        const int batches = 10;
        const double overhead = 2;
        double Rate(int epoch) => (config.PhaseAt(epoch) == TrainingPhase.Pretraining ? 0.01 : 0.05) * (epoch == 0 ? 1.5 : 1); // first epoch warms up
        double EpochSeconds(int epoch) => Rate(epoch) * config.LengthAt(epoch) * batches + overhead;
        double TrueLeft(int epoch, int batch) =>
            Rate(epoch) * config.LengthAt(epoch) * (batches - batch) + overhead + Enumerable.Range(epoch + 1, 11 - epoch).Sum(EpochSeconds);

        var remaining = new RemainingTime(config);
        var figures = new List<(int Epoch, int Batch, double Estimate, double Truth)>();
        for (int epoch = 0; epoch < 12; epoch++)
        {
            var phase = config.PhaseAt(epoch);
            int length = config.LengthAt(epoch);
            for (int batch = 1; batch <= batches; batch++)
            {
                var progress = new TrainingProgress(epoch + 1, 12, phase, length, batch, batches, 0, 0, 0, 0, 0, 0, Rate(epoch) * length * batch);
                double during = remaining.During(progress)!.Value.TotalSeconds;
                figures.Add((epoch, batch, during, TrueLeft(epoch, batch)));
                if (batch == batches) figures.Add((epoch, batch, during - remaining.OverheadAfterTraining(phase), TrueLeft(epoch, batch) - overhead));
            }
            var record = new EpochRecord { Epoch = epoch + 1, Phase = phase, Length = length, Batches = batches, Seconds = Rate(epoch) * length * batches };
            remaining.Add(record, TimeSpan.FromSeconds(record.Seconds + overhead));
            double after = remaining.After(epoch + 1)!.Value.TotalSeconds;
            // The epoch line agrees with the last progress line of its epoch, less the validation that has since run;
            // only the first epoch's line adds the time of validating the epochs to come, measured for the first time.
            Assert.Equal(figures[^1].Estimate + (epoch == 0 ? overhead * 11 : 0), after, 6);
        }

        // At the very first batch, from one batch of a warming-up epoch and nothing known of validation or adversarial
        // epochs: finite, within a factor of 2 of the truth.
        Assert.InRange(figures[0].Estimate, figures[0].Truth / 2, figures[0].Truth * 2);
        // From the second epoch on, no figure is below the truth or above it by more than the assumed adversarial cost
        // exceeds the real one (6 / 5): the first adversarial epoch's figures go from the assumed cost to the measured
        // one, and from the second adversarial epoch on the figures are exact.
        Assert.All(figures.Where(f => f.Epoch >= 1), f => Assert.InRange(f.Estimate, f.Truth - 1e-9, f.Truth * 6 / 5));
        Assert.All(figures.Where(f => f.Epoch >= 7), f => Assert.Equal(f.Truth, f.Estimate, 6));
        // And never rises from one figure to the next once the first epoch has been timed.
        var steady = figures.Where(f => f.Epoch >= 1).Select(f => f.Estimate).ToList();
        Assert.All(steady.Zip(steady.Skip(1)), pair => Assert.True(pair.Second <= pair.First + 1e-9, $"{pair.First} then {pair.Second}"));
    }

    [Fact]
    public void ASlowFirstBatchOfAHugeRunIsBounded()
    {
        var config = new TrainingConfig() with { Run = new RunSettings { Epochs = RunSettings.MaxEpochs, PretrainEpochs = 0 } };
        var remaining = new RemainingTime(config);
        var progress = new TrainingProgress(1, RunSettings.MaxEpochs, TrainingPhase.Adversarial, 200, 1, 1_000_000, 0, 0, 0, 0, 0, 0, 1e6);
        Assert.Equal(RemainingTime.MaxSeconds, remaining.During(progress)!.Value.TotalSeconds, 0);
    }
}
