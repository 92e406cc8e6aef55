namespace CrnnGan.Training;

/// <summary>What the trainer reports after every batch: <paramref name="Epoch"/> counts from 1, <paramref name="Batch"/>
/// batches of it are done, in <paramref name="Seconds"/> of training (the time left is <see cref="RemainingTime"/>'s).</summary>
public sealed record TrainingProgress(
    int Epoch, int Epochs, TrainingPhase Phase, int Length, int Batch, int Batches,
    double GeneratorLoss, double DiscriminatorLoss, double MseLoss, int DiscriminatorFrozen, int GeneratorFrozen,
    double EventsPerSecond, double Seconds);

public enum TrainingOutcome { Completed, Interrupted }

public sealed class TrainingDivergedException(string message) : Exception(message);
