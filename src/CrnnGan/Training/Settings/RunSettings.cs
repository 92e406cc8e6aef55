using System.Text.Json.Serialization;
using static CrnnGan.Training.SettingRules;

namespace CrnnGan.Training;

/// <summary>The <c>run</c> group: the schedule of epochs, seeds, hardware and what the run keeps.</summary>
public sealed record RunSettings
{
    [JsonPropertyName("mode")] public TrainingMode Mode { get; init; } = TrainingMode.Gan;
    /// <summary>Total epochs, pretraining included.</summary>
    [JsonPropertyName("epochs")] public int Epochs { get; init; } = 20;
    [JsonPropertyName("pretrain_epochs")] public int PretrainEpochs { get; init; } = 6;
    /// <summary>Sequence length grows by this many events per epoch (4, 8, 12, ...) up to the data's length; 0 = full length from the start.</summary>
    [JsonPropertyName("curriculum_step")] public int CurriculumStep { get; init; } = 4;
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("device")] public string Device { get; init; } = "cpu";
    /// <summary>CPU threads for tensor work; null = all cores.</summary>
    [JsonPropertyName("threads")] public int? Threads { get; init; }
    /// <summary>Songs sampled from G after every epoch for its statistics and its overlap with the validation songs,
    /// which chooses the best epoch: more songs, a steadier choice.</summary>
    [JsonPropertyName("validation_songs")] public int ValidationSongs { get; init; } = 200;
    /// <summary>figure3.png and losses.png are redrawn after every this many epochs and after the last; 0: after the last
    /// only. A short run on a small model spends a noticeable share of its time drawing them.</summary>
    [JsonPropertyName("plot_every")] public int PlotEvery { get; init; } = 1;
    [JsonPropertyName("keep_by")] public BestEpochMeasure KeepBy { get; init; } = BestEpochMeasure.Mean;
    /// <summary>Also keep G of every epoch that competes for the best (generators/epoch-NNN.bin), so any of them can be
    /// generated from, listened to, or measured again on fresh songs.</summary>
    [JsonPropertyName("keep_every_generator")] public bool KeepEveryGenerator { get; init; }
    /// <summary>How often a NaN or infinite loss may roll the run back to its last checkpoint (halving the learning rates) before it stops.</summary>
    [JsonPropertyName("max_rollbacks")] public int MaxRollbacks { get; init; } = 3;

    public const int MaxThreads = 1024;
    /// <summary>More epochs than anyone trains (the paper: 200s); a bound, so that a mistyped count fails at once.</summary>
    public const int MaxEpochs = 100_000;
    public const int MaxValidationSongs = 100_000;

    internal void Validate()
    {
        Require(Epochs >= 1, "run.epochs", $"must be at least 1, got {Epochs}");
        Require(Epochs <= MaxEpochs, "run.epochs", $"must be at most {MaxEpochs}, got {Epochs}");
        Require(PretrainEpochs >= 0, "run.pretrain_epochs", $"must not be negative, got {PretrainEpochs}");
        Require(PretrainEpochs <= MaxEpochs, "run.pretrain_epochs", $"must be at most {MaxEpochs}, got {PretrainEpochs}");
        Require(CurriculumStep >= 0, "run.curriculum_step", $"must not be negative, got {CurriculumStep}");
        Require(Device is "cpu" || Device.StartsWith("cuda", StringComparison.Ordinal), "run.device", $"must be cpu, got '{Device}'");
        Require(Threads is null or >= 1 and <= MaxThreads, "run.threads", $"must be 1 to {MaxThreads}, got {Threads}");
        InRange(ValidationSongs, 2, MaxValidationSongs, "run.validation_songs");
        Require(PlotEvery >= 0, "run.plot_every", $"must not be negative, got {PlotEvery}");
        Require(MaxRollbacks >= 0, "run.max_rollbacks", $"must not be negative, got {MaxRollbacks}");
    }
}
