using System.Text.Json.Serialization;
using static CrnnGan.Training.SettingRules;

namespace CrnnGan.Training;

/// <summary>The <c>optimisation</c> group: optimisers, learning rates and what shapes each step.</summary>
public sealed record OptimisationSettings
{
    /// <summary>Songs per batch.</summary>
    [JsonPropertyName("batch")] public int Batch { get; init; } = 20;
    /// <summary>Adam instead of plain SGD.</summary>
    [JsonPropertyName("adam")] public bool Adam { get; init; }
    /// <summary>Adam's first-moment decay; 0.5 is the usual choice for GANs (Radford et al. 2015), 0.9 Adam's own default.</summary>
    [JsonPropertyName("adam_beta1")] public double AdamBeta1 { get; init; } = 0.9;
    /// <summary>G's learning rate (SGD's 0.1 as in the paper; about 0.001 with <see cref="Adam"/>).</summary>
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 0.1;
    /// <summary>G's learning rate during pretraining; null = <see cref="LearningRate"/>.</summary>
    [JsonPropertyName("pretrain_learning_rate")] public double? PretrainLearningRate { get; init; }
    /// <summary>D's learning rate as a multiple of G's.</summary>
    [JsonPropertyName("d_lr_factor")] public double DiscriminatorLearningRateFactor { get; init; } = 0.5;
    /// <summary>From this epoch (1-based) on the learning rates are multiplied by <see cref="LearningRateDecay"/> each
    /// epoch (the paper's code: <c>--epochs_before_decay</c>, <c>--lr_decay</c>); null = never.</summary>
    [JsonPropertyName("lr_decay_epoch")] public int? LearningRateDecayEpoch { get; init; }
    [JsonPropertyName("lr_decay")] public double LearningRateDecay { get; init; } = 0.95;
    /// <summary>L2 scale on all weights: scale x sum(w^2)/2.</summary>
    [JsonPropertyName("l2")] public double L2Scale { get; init; } = 0.1;
    [JsonPropertyName("clip_norm")] public double ClipNorm { get; init; } = 5.0;
    /// <summary>
    /// Decay of an exponential moving average of G's weights, updated after every G step (0 = none). When on, the
    /// averaged G is the one sampled, measured, kept as the best and generated from; the trained G keeps training.
    /// Averaging damps the swings of a GAN's output from epoch to epoch (Yazici et al. 2019).
    /// </summary>
    [JsonPropertyName("average_decay")] public double AverageDecay { get; init; }
    /// <summary>The paper's freezing: skip the update of the network that is too far ahead.</summary>
    [JsonPropertyName("freezing")] public bool Freezing { get; init; } = true;
    [JsonPropertyName("freeze_ratio")] public double FreezeRatio { get; init; } = 0.7;

    public const int MaxBatch = 100_000;

    internal void Validate()
    {
        InRange(Batch, 1, MaxBatch, "optimisation.batch");
        Require(AdamBeta1 is >= 0 and < 1, "optimisation.adam_beta1", $"must be at least 0 and below 1, got {Show(AdamBeta1)}");
        Positive(LearningRate, "optimisation.learning_rate");
        if (PretrainLearningRate is double pretrain) Positive(pretrain, "optimisation.pretrain_learning_rate");
        Positive(DiscriminatorLearningRateFactor, "optimisation.d_lr_factor");
        Require(LearningRateDecayEpoch is null or >= 1, "optimisation.lr_decay_epoch", $"must be at least 1, got {LearningRateDecayEpoch}");
        Require(LearningRateDecay is > 0 and <= 1, "optimisation.lr_decay", $"must be above 0 and at most 1, got {Show(LearningRateDecay)}");
        AtLeastZero(L2Scale, "optimisation.l2");
        Positive(ClipNorm, "optimisation.clip_norm");
        Require(AverageDecay is >= 0 and < 1, "optimisation.average_decay", $"must be at least 0 and below 1, got {Show(AverageDecay)}");
        Require(FreezeRatio is > 0 and < 1, "optimisation.freeze_ratio", $"must be above 0 and below 1, got {Show(FreezeRatio)}");
    }
}
