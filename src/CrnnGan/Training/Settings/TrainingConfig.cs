using System.Text.Json.Serialization;
using CrnnGan.Model;

namespace CrnnGan.Training;

public enum TrainingMode
{
    /// <summary>Pretraining on next-event MSE, then adversarial training (C-RNN-GAN).</summary>
    Gan,

    /// <summary>The same G trained only on next-event prediction for all epochs.</summary>
    Baseline,
}

/// <summary>How the epochs are compared to choose the best generator (see <see cref="EpochRecord.ValidationOverlaps"/>).</summary>
public enum BestEpochMeasure
{
    /// <summary>The mean overlapping area of the six paper statistics.</summary>
    Mean,

    /// <summary>The lowest of the six: the epoch whose least real-looking statistic is closest to real.</summary>
    Worst,

    /// <summary>What a listener hears: the lowest accuracy of a classifier telling G's songs from the validation songs by
    /// their musical features (<see cref="Evaluation.MusicEvaluation"/>), ties broken by the features' mean overlap.</summary>
    Realism,
}

public enum TrainingPhase
{
    /// <summary>G learns next-event prediction, teacher forced (all epochs of the baseline).</summary>
    Pretraining,

    /// <summary>Only D learned (a setting retired at git tag pre-settings-as-data); kept so older stats.csv files still read.</summary>
    DiscriminatorPretraining,

    Adversarial,
}

/// <summary>
/// Everything that defines a training run, in five groups. Serialised as JSON with snake_case keys (a preset, a run's
/// config.json, the settings inside checkpoints and generator files: see <see cref="SettingsJson"/>); a key such as
/// <c>losses.fm_spread</c> names one setting everywhere. The defaults are the paper's; presets/crnngan.json is the
/// default recipe. A resumed run must match the settings in its checkpoint.
/// </summary>
[JsonConverter(typeof(TrainingConfigJsonConverter))]
public sealed record TrainingConfig
{
    public ModelSettings Model { get; init; } = new();
    public OptimisationSettings Optimisation { get; init; } = new();
    public LossSettings Losses { get; init; } = new();
    public DataSettings Data { get; init; } = new();
    public RunSettings Run { get; init; } = new();
    /// <summary>The labels a conditioned run found in its training songs (see <see cref="DataSettings.Condition"/>);
    /// null for an unconditioned run. Not a setting: the run writes it from its data.</summary>
    public LabelSet? Labels { get; init; }

    // Shortcuts for what readers of a run's settings outside training ask most.
    public string? DataPath => Data.Path;
    public int Length => Data.Length;
    public int TonesPerCell => Model.TonesPerCell;
    public TrainingMode Mode => Run.Mode;
    public int Seed => Run.Seed;
    public double ValidationFraction => Data.ValidationFraction;
    public double TestFraction => Data.TestFraction;

    /// <summary>Seed of the train/validation/test split.</summary>
    public int DataSplitSeed => Data.SplitSeed ?? Run.Seed;

    public int FeatureCount => Model.FeatureCount;

    /// <summary>The shapes of G and D.</summary>
    public ModelConfig Networks => Labels is null ? Model.Networks : Model.Networks with { LabelCount = Labels.Count };

    public const int MaxLength = DataSettings.MaxLength;

    /// <summary>What <see cref="RunSettings.KeepBy"/> scores an epoch by (higher is better; NaN: no score).</summary>
    public double BestEpochScore(EpochRecord record) => Run.KeepBy switch
    {
        BestEpochMeasure.Worst => record.WorstValidationOverlap,
        // Accuracies of a few hundred songs a side differ by steps of about 0.003: the overlap (0 to 1) only breaks ties.
        BestEpochMeasure.Realism => 1 - record.ValidationRealism + record.ValidationFeatureOverlap / 1000,
        _ => record.ValidationOverlap,
    };

    /// <summary>The sequence length trained on in <paramref name="epoch"/> (0-based).</summary>
    public int LengthAt(int epoch) => Run.CurriculumStep <= 0 ? Length : Math.Min(Length, Run.CurriculumStep * (epoch + 1));

    public TrainingPhase PhaseAt(int epoch) =>
        Mode == TrainingMode.Baseline || epoch < Run.PretrainEpochs ? TrainingPhase.Pretraining : TrainingPhase.Adversarial;

    public double LearningRateAt(int epoch)
    {
        var o = Optimisation;
        double rate = PhaseAt(epoch) == TrainingPhase.Pretraining ? o.PretrainLearningRate ?? o.LearningRate : o.LearningRate;
        return o.LearningRateDecayEpoch is int first && epoch >= first - 1 ? rate * Math.Pow(o.LearningRateDecay, epoch - first + 2) : rate;
    }

    /// <summary>
    /// Throws <see cref="SettingException"/> naming the first bad setting by its key. Absurd sizes are refused here, up
    /// front, rather than failing later in an allocation deep inside torch.
    /// </summary>
    public void Validate()
    {
        Model.Validate();
        Optimisation.Validate();
        Losses.Validate();
        Data.Validate();
        Run.Validate();
        SettingRules.Require(Losses.PretrainSamples == 1 || !(Model.PitchChoice || Model.TimeChoice > 0 || Model.LengthChoice > 0 || Model.VelocityChoice), "losses.pretrain_samples",
            "scores the nearest of several draws by squared error; with model.pitch_choice, model.time_choice, model.length_choice or model.velocity_choice G draws its choices itself: keep it at 1");
        Networks.Validate();
    }
}
