using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrnnGan.Training;

/// <summary>A file's settings use one that crnngan no longer has; the message names it and the git tag that still does.</summary>
public sealed class RetiredSettingException(string message) : Exception(message);

/// <summary>
/// The settings as crnngan wrote them before they were grouped (one flat record, PascalCase keys, up to git tag
/// pre-settings-as-data): run folders, checkpoints and generator files of that time, the bundled model's among them,
/// are read through this and converted.
/// </summary>
internal sealed record LegacyTrainingConfig
{
    public const string LastTag = "pre-settings-as-data";

    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public TrainingMode Mode { get; init; } = TrainingMode.Gan;
    public int TonesPerCell { get; init; } = 1;
    public bool FeatureMatching { get; init; }
    public bool FeatureMatchingOfMeans { get; init; }
    public double FeatureSpreadWeight { get; init; }
    public double PitchClassProfileWeight { get; init; }
    public int SongNoise { get; init; }
    public double DiscriminatorSongMoments { get; init; }
    public double DiscriminatorSongRanges { get; init; }
    public double DiscriminatorSongLags { get; init; }
    public bool SongLagsOfPitchOnly { get; init; }
    public bool SongVelocity { get; init; }
    public bool FixedVelocitySpread { get; init; }
    public bool Freezing { get; init; } = true;
    public double FreezeRatio { get; init; } = 0.7;
    public GeneratorLossForm GeneratorLoss { get; init; } = GeneratorLossForm.NonSaturating;
    public int Hidden { get; init; } = 350;
    public int Layers { get; init; } = 2;
    public double Dropout { get; init; } = 0.5;
    public double DiscriminatorInputDropout { get; init; } = 0.5;
    public bool UnidirectionalDiscriminator { get; init; }
    public bool DiscriminatorPitchClasses { get; init; }
    public bool PitchClassHead { get; init; }
    public bool TransposeToC { get; init; }
    public bool ClampGeneratedTime { get; init; }
    public bool DiscriminatorLogLengths { get; init; }
    public bool RoundGeneratedPitch { get; init; }
    public int Batch { get; init; } = 20;
    public int Length { get; init; } = 100;
    public int Epochs { get; init; } = 20;
    public int PretrainEpochs { get; init; } = 6;
    public int PretrainDiscriminatorEpochs { get; init; }
    public int CurriculumStep { get; init; } = 4;
    public double LearningRate { get; init; } = 0.1;
    public double DiscriminatorLearningRateFactor { get; init; } = 0.5;
    public bool Adam { get; init; }
    public double AdamBeta1 { get; init; } = 0.9;
    public double? PretrainLearningRate { get; init; }
    public double RealLabel { get; init; } = 1.0;
    public double InstanceNoise { get; init; }
    /// <summary>0-based, unlike the key that replaces it.</summary>
    public int? LearningRateDecayEpoch { get; init; }
    public double LearningRateDecay { get; init; } = 0.95;
    public double L2Scale { get; init; } = 0.1;
    public double ClipNorm { get; init; } = 5.0;
    public double AverageDecay { get; init; }
    public int MaxRollbacks { get; init; } = 3;
    public int Seed { get; init; }
    public int? SplitSeed { get; init; }
    public string Device { get; init; } = "cpu";
    public int? Threads { get; init; }
    public double ValidationFraction { get; init; } = 0.1;
    public double TestFraction { get; init; } = 0.1;
    public int ValidationSongs { get; init; } = 200;
    public BestEpochMeasure KeepBy { get; init; } = BestEpochMeasure.Mean;
    public bool KeepEveryGenerator { get; init; }
    public string? DataPath { get; init; }
    public int SyntheticSongs { get; init; } = 200;

    /// <summary>The settings retired with this format, by the flag they had, and whether these settings use them.</summary>
    private IEnumerable<(string Flag, bool Used)> Retired =>
    [
        ("--d-song-ranges", DiscriminatorSongRanges != 0),
        ("--transpose-to-c", TransposeToC),
        ("--d-round-pitch", RoundGeneratedPitch),
        ("--fm-pitch-classes", PitchClassProfileWeight != 0),
        ("--d-pitch-classes", DiscriminatorPitchClasses),
        ("--d-song-lags-of pitch", SongLagsOfPitchOnly),
        ("--d-log-lengths", DiscriminatorLogLengths),
        ("--real-label", RealLabel != 1),
        ("--instance-noise", InstanceNoise != 0),
        ("--pretrain-d-epochs", PretrainDiscriminatorEpochs != 0),
    ];

    public static TrainingConfig Read(JsonElement root)
    {
        var legacy = root.Deserialize<LegacyTrainingConfig>(Options) ?? throw new JsonException("the settings are null");
        return legacy.ToSettings();
    }

    /// <exception cref="RetiredSettingException">These settings use one crnngan no longer has.</exception>
    public TrainingConfig ToSettings()
    {
        var used = Retired.Where(r => r.Used).Select(r => r.Flag).ToList();
        if (used.Count > 0)
            throw new RetiredSettingException(
                $"trained with {string.Join(", ", used)}, which crnngan no longer has (see docs/log/README.md); " +
                $"use crnngan as of git tag {LastTag} for it");
        return new TrainingConfig
        {
            Model = new ModelSettings
            {
                TonesPerCell = TonesPerCell, Hidden = Hidden, Layers = Layers, Dropout = Dropout,
                DiscriminatorInputDropout = DiscriminatorInputDropout, UnidirectionalDiscriminator = UnidirectionalDiscriminator,
                SongNoise = SongNoise, SongVelocity = SongVelocity, FixedVelocitySpread = FixedVelocitySpread, PitchClassHead = PitchClassHead,
                DiscriminatorSongMoments = DiscriminatorSongMoments, DiscriminatorSongLags = DiscriminatorSongLags,
                ClampGeneratedTime = ClampGeneratedTime,
            },
            Optimisation = new OptimisationSettings
            {
                Batch = Batch, Adam = Adam, AdamBeta1 = AdamBeta1, LearningRate = LearningRate, PretrainLearningRate = PretrainLearningRate,
                DiscriminatorLearningRateFactor = DiscriminatorLearningRateFactor, LearningRateDecayEpoch = LearningRateDecayEpoch + 1,
                LearningRateDecay = LearningRateDecay, L2Scale = L2Scale, ClipNorm = ClipNorm, AverageDecay = AverageDecay,
                Freezing = Freezing, FreezeRatio = FreezeRatio,
            },
            Losses = new LossSettings
            {
                FeatureMatching = FeatureMatching, FeatureMatchingOfMeans = FeatureMatchingOfMeans,
                FeatureSpreadWeight = FeatureSpreadWeight, GeneratorLoss = GeneratorLoss,
            },
            Data = new DataSettings
            {
                Path = DataPath, SyntheticSongs = SyntheticSongs, Length = Length, ValidationFraction = ValidationFraction,
                TestFraction = TestFraction, SplitSeed = SplitSeed,
            },
            Run = new RunSettings
            {
                Mode = Mode, Epochs = Epochs, PretrainEpochs = PretrainEpochs, CurriculumStep = CurriculumStep, Seed = Seed,
                Device = Device, Threads = Threads, ValidationSongs = ValidationSongs, KeepBy = KeepBy,
                KeepEveryGenerator = KeepEveryGenerator, MaxRollbacks = MaxRollbacks,
            },
        };
    }
}
