namespace CrnnGan.Training;

/// <summary>What the trainer reports after every batch.</summary>
public sealed record TrainingProgress(
    int Epoch, int Epochs, TrainingPhase Phase, int Length, int Batch, int Batches,
    double GeneratorLoss, double DiscriminatorLoss, double MseLoss, int DiscriminatorFrozen, int GeneratorFrozen,
    double EventsPerSecond, TimeSpan Remaining);

public enum TrainingOutcome { Completed, Interrupted }

public sealed class TrainingDivergedException(string message) : Exception(message);
