using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

/// <summary>The time a run has left, as the epoch lines of <c>train</c> print it.</summary>
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

    [Fact]
    public void NothingIsEstimatedFromTheFirstEpochAlone()
    {
        var remaining = new RemainingTime(Config);
        Assert.Null(remaining.After(0));
        remaining.Add(Epoch(1, TrainingPhase.Pretraining, 10, 30), TimeSpan.FromSeconds(40)); // warming up
        Assert.Null(remaining.After(1));
    }

    [Fact]
    public void TrainingScalesWithTheLengthAndTheTimeAfterTrainingIsCarriedForward()
    {
        var remaining = new RemainingTime(Config);
        remaining.Add(Epoch(1, TrainingPhase.Pretraining, 10, 30), TimeSpan.FromSeconds(40)); // warming up: not counted
        // 50 events in 1 s of training, 0.5 s measuring: pretraining at 0.02 s per event.
        remaining.Add(Epoch(1, TrainingPhase.Pretraining, 10, 1), TimeSpan.FromSeconds(1.5));
        double adversarial = 0.02 * RemainingTime.AdversarialCostFactor * 100 + 0.5;
        Assert.Equal(0.02 * 100 + 0.5 + 2 * adversarial, remaining.After(1)!.Value.TotalSeconds, 6);

        // Once an adversarial epoch is timed, its own rate counts: 100 events in 5 s, 1 s measuring.
        remaining.Add(Epoch(3, TrainingPhase.Adversarial, 20, 5), TimeSpan.FromSeconds(6));
        Assert.Equal(6, remaining.After(3)!.Value.TotalSeconds, 6);
        Assert.Equal(TimeSpan.Zero, remaining.After(4));
    }
}
