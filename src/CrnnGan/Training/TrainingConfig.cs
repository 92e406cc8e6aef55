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

/// <summary>A starting point for the settings; explicit options go on top.</summary>
public enum TrainingRecipe
{
    /// <summary>crnngan's recipe, the one that trains stably on the classical corpus (see docs/RESULTS.md).</summary>
    Crnngan,

    /// <summary>The paper's and its code's settings: SGD 0.1 / 0.05, L2 0.1, per-pair feature matching when asked for.</summary>
    Paper,
}

/// <summary>How the epochs are compared to choose the best generator (see <see cref="EpochRecord.ValidationOverlaps"/>).</summary>
public enum BestEpochMeasure
{
    /// <summary>The mean overlapping area of the six paper statistics.</summary>
    Mean,

    /// <summary>The lowest of the six: the epoch whose least real-looking statistic is closest to real.</summary>
    Worst,
}

public enum TrainingPhase
{
    /// <summary>G learns next-event prediction, teacher forced (all epochs of the baseline).</summary>
    Pretraining,

    /// <summary>Only D learns to tell real songs from G's.</summary>
    DiscriminatorPretraining,

    Adversarial,
}

/// <summary>Everything that defines a training run. Stored in every checkpoint; a resumed run must match it.</summary>
public sealed record TrainingConfig
{
    public TrainingMode Mode { get; init; } = TrainingMode.Gan;
    public int TonesPerCell { get; init; } = 1;
    public bool FeatureMatching { get; init; }
    /// <summary>Feature matching compares batch means of D's features rather than song pairs (see <see cref="GanLosses.FeatureMatchingOfMeans"/>).</summary>
    public bool FeatureMatchingOfMeans { get; init; }
    /// <summary>Weight of <see cref="GanLosses.FeatureSpreadMatching"/> in G's feature-matching loss (0 = off).</summary>
    public double FeatureSpreadWeight { get; init; }
    /// <summary>Weight of <see cref="PitchClassProfile.Matching"/> in G's feature-matching loss (0 = off).</summary>
    public double PitchClassProfileWeight { get; init; }
    /// <summary>Values of G's noise drawn once per song and repeated at every step (see <see cref="ModelConfig.SongNoiseSize"/>); 0 = the paper's per-step noise alone.</summary>
    public int SongNoise { get; init; }

    /// <summary>Scale of the song moments D adds to its last layer's features (see <see cref="ModelConfig.DiscriminatorSongMoments"/>); 0 = off, as in the paper.</summary>
    public double DiscriminatorSongMoments { get; init; }

    /// <summary>Scale of the song ranges D adds to its last layer's features (see <see cref="ModelConfig.DiscriminatorSongRanges"/>); 0 = off, as in the paper.</summary>
    public double DiscriminatorSongRanges { get; init; }

    /// <summary>Scale of the song lags D adds to its last layer's features (see <see cref="ModelConfig.DiscriminatorSongLags"/>); 0 = off, as in the paper.</summary>
    public double DiscriminatorSongLags { get; init; }
    /// <summary>Scale of the rhythm D reads beside each event (see <see cref="MusicalInputs"/>); 0 = off, as in the paper.</summary>
    public double DiscriminatorRhythm { get; init; }
    /// <summary>Scale of the interval indicators D reads beside each event (see <see cref="MusicalInputs"/>); 0 = off, as in the paper.</summary>
    public double DiscriminatorIntervals { get; init; }
    /// <summary>G's resolution of time in ticks (see <see cref="ModelConfig.TimeGrid"/>); 0 = one tick, as in the paper.</summary>
    public int TimeGrid { get; init; }
    /// <summary>The song lags cover only what D reads of pitch (see <see cref="ModelConfig.SongLagsOfPitchOnly"/>).</summary>
    public bool SongLagsOfPitchOnly { get; init; }

    /// <summary>G writes each song's velocities around a level and spread of its own (see <see cref="ModelConfig.SongVelocity"/>).</summary>
    public bool SongVelocity { get; init; }

    /// <summary>With <see cref="SongVelocity"/>, the spread keeps its start (see <see cref="ModelConfig.FixedVelocitySpread"/>).</summary>
    public bool FixedVelocitySpread { get; init; }
    public bool Freezing { get; init; } = true;
    public double FreezeRatio { get; init; } = 0.7;
    public GeneratorLossForm GeneratorLoss { get; init; } = GeneratorLossForm.NonSaturating;

    public int Hidden { get; init; } = 350;
    public int Layers { get; init; } = 2;
    public double Dropout { get; init; } = 0.5;
    public double DiscriminatorInputDropout { get; init; } = 0.5;
    public bool UnidirectionalDiscriminator { get; init; }
    /// <summary>D also sees each tone's place on the circle of fifths (see <see cref="PitchClassFeatures"/>).</summary>
    public bool DiscriminatorPitchClasses { get; init; }
    /// <summary>G emits each tone's pitch class as a point on the circle of fifths beside its frequency, which then
    /// only says the register (see <see cref="CrnnGan.Model.PitchClassHead"/>); D reads the same points of real tones.</summary>
    public bool PitchClassHead { get; init; }
    /// <summary>Every training and validation song is moved by up to 6 semitones so that its best-fitting scale is
    /// C major or A minor (see <see cref="Data.KeyTransposition"/>); G then learns one key instead of 24.</summary>
    public bool TransposeToC { get; init; }
    /// <summary>D sees G's time since the previous event clamped at zero, as the MIDI writer reads it, so G's chords
    /// (any time at or below zero) look to D like real chords (exactly zero) instead of like nothing real.</summary>
    public bool ClampGeneratedTime { get; init; }
    /// <summary>D reads every tone's length on a log scale (<see cref="Model.LogLengths"/>), real and G's alike, so G's
    /// events of no length, which write no note, stand out from real notes.</summary>
    public bool DiscriminatorLogLengths { get; init; }
    /// <summary>D sees G's frequencies rounded to the nearest semitone, as they are written (the gradient passes
    /// straight through), so a note is in the key or not, instead of a continuous value between two keys.</summary>
    public bool RoundGeneratedPitch { get; init; }

    public int Batch { get; init; } = 20;
    public int Length { get; init; } = 100;
    /// <summary>Total epochs, pretraining included.</summary>
    public int Epochs { get; init; } = 20;
    public int PretrainEpochs { get; init; } = 6;
    /// <summary>Epochs of D pretraining (D learns real vs. G's songs while G is frozen) after G's pretraining.</summary>
    public int PretrainDiscriminatorEpochs { get; init; }
    /// <summary>Sequence length grows by this many events per epoch (4, 8, 12, ...) up to <see cref="Length"/>; 0 = full length from the start.</summary>
    public int CurriculumStep { get; init; } = 4;

    /// <summary>G's learning rate (SGD's 0.1 as in the paper; use about 0.001 with <see cref="Adam"/>).</summary>
    public double LearningRate { get; init; } = 0.1;
    public double DiscriminatorLearningRateFactor { get; init; } = 0.5;
    public bool Adam { get; init; }
    /// <summary>Adam's first-moment decay; 0.5 is the usual choice for GANs (Radford et al. 2015), 0.9 Adam's own default.</summary>
    public double AdamBeta1 { get; init; } = 0.9;
    /// <summary>G's learning rate during pretraining; null = <see cref="LearningRate"/>.</summary>
    public double? PretrainLearningRate { get; init; }
    /// <summary>D's target for real songs: 1 as in the paper; 0.9 is one-sided label smoothing (Salimans et al. 2016).</summary>
    public double RealLabel { get; init; } = 1.0;
    /// <summary>Standard deviation of Gaussian noise added to every event D sees, real or generated (instance noise); 0 = none.</summary>
    public double InstanceNoise { get; init; }
    /// <summary>From this epoch on the learning rates are multiplied by <see cref="LearningRateDecay"/> each epoch; null = never.</summary>
    public int? LearningRateDecayEpoch { get; init; }
    public double LearningRateDecay { get; init; } = 0.95;
    public double L2Scale { get; init; } = 0.1;
    public double ClipNorm { get; init; } = 5.0;
    /// <summary>
    /// Decay of an exponential moving average of G's weights, updated after every G step (0 = none). When on, the
    /// averaged G is the one sampled, measured, kept as the best and generated from; the trained G keeps training.
    /// Averaging damps the swings of a GAN's output from epoch to epoch (Yazici et al. 2019).
    /// </summary>
    public double AverageDecay { get; init; }
    /// <summary>How often a NaN or infinite loss may roll the run back to its last checkpoint (halving the learning rates) before it stops.</summary>
    public int MaxRollbacks { get; init; } = 3;

    public int Seed { get; init; }
    /// <summary>Seed of the train/validation/test split when it should differ from <see cref="Seed"/> (null: <see cref="Seed"/>),
    /// so runs of other seeds can be compared on one split and tested on songs none of them trained on.</summary>
    public int? SplitSeed { get; init; }
    public int DataSplitSeed => SplitSeed ?? Seed;
    public string Device { get; init; } = "cpu";
    public int? Threads { get; init; }
    public double ValidationFraction { get; init; } = 0.1;
    public double TestFraction { get; init; } = 0.1;
    /// <summary>Songs sampled from G after every epoch for its statistics and its overlap with the validation songs,
    /// which chooses the best epoch: more songs, a steadier choice.</summary>
    public int ValidationSongs { get; init; } = 200;
    public BestEpochMeasure KeepBy { get; init; } = BestEpochMeasure.Mean;
    /// <summary>Also keep G of every epoch that competes for the best (generators/epoch-NNN.bin), so any of them can be
    /// generated from, listened to, or measured again on fresh songs.</summary>
    public bool KeepEveryGenerator { get; init; }

    /// <summary>What <see cref="KeepBy"/> scores an epoch by (higher is better; NaN: no score).</summary>
    public double BestEpochScore(EpochRecord record) =>
        KeepBy == BestEpochMeasure.Worst ? record.WorstValidationOverlap : record.ValidationOverlap;

    /// <summary>The MIDI folder trained on; null = the built-in synthetic corpus.</summary>
    public string? DataPath { get; init; }
    public int SyntheticSongs { get; init; } = 200;

    [JsonIgnore]
    public int FeatureCount => 3 * TonesPerCell + 1;

    [JsonIgnore]
    public ModelConfig Model => new(FeatureCount, Hidden, Layers, Dropout, DiscriminatorInputDropout, !UnidirectionalDiscriminator, SongNoise,
        PitchClassHead ? CrnnGan.Model.PitchClassHead.OutputsFor(TonesPerCell) : 0, DiscriminatorSongMoments,
        DiscriminatorSongRanges, DiscriminatorSongLags, SongVelocity, FixedVelocitySpread, SongLagsOfPitchOnly,
        DiscriminatorRhythm, DiscriminatorIntervals, TimeGrid);

    /// <summary>The sequence length trained on in <paramref name="epoch"/> (0-based).</summary>
    public int LengthAt(int epoch) => CurriculumStep <= 0 ? Length : Math.Min(Length, CurriculumStep * (epoch + 1));

    public TrainingPhase PhaseAt(int epoch) =>
        Mode == TrainingMode.Baseline || epoch < PretrainEpochs ? TrainingPhase.Pretraining
        : epoch < PretrainEpochs + PretrainDiscriminatorEpochs ? TrainingPhase.DiscriminatorPretraining
        : TrainingPhase.Adversarial;

    /// <summary>
    /// The settings a recipe starts from. <see cref="TrainingRecipe.Paper"/> is this record's own defaults;
    /// <see cref="TrainingRecipe.Crnngan"/> changes what did not train stably on the classical corpus: Adam with
    /// beta1 0.5 (G 0.0002, D half that; pretraining 0.001) instead of SGD 0.1, no L2 term (0.1 x sum(w^2)/2 shrinks
    /// every weight by 1% a step and G settles on one repeated note), feature matching of batch means, G's
    /// songs sampled from an average of its weights (decay 0.995), which swing less from epoch to epoch, D judging
    /// G's time between events clamped at zero, as it is written, which brings G's chords to real music's, and
    /// feature matching of the spread between songs as well as of their means, so that G's songs differ as real ones do,
    /// G saying each tone's pitch class on the circle of fifths (<see cref="PitchClassHead"/>), which brings the key,
    /// and D's last layer holding each song's moments (<see cref="DiscriminatorSongMoments"/> 2), which brings the real
    /// spread of register and loudness between songs (docs/RESULTS.md section 8: +0.02 on three seeds).
    /// </summary>
    public static TrainingConfig ForRecipe(TrainingRecipe recipe) => recipe switch
    {
        TrainingRecipe.Paper => new TrainingConfig(),
        _ => new TrainingConfig
        {
            Adam = true,
            AdamBeta1 = 0.5,
            LearningRate = 0.0002,
            PretrainLearningRate = 0.001,
            AverageDecay = 0.995,
            ClampGeneratedTime = true,
            L2Scale = 0,
            FeatureMatching = true,
            FeatureMatchingOfMeans = true,
            FeatureSpreadWeight = 1,
            PitchClassHead = true,
            DiscriminatorSongMoments = 2,
        },
    };

    public double LearningRateAt(int epoch)
    {
        double rate = PhaseAt(epoch) == TrainingPhase.Pretraining ? PretrainLearningRate ?? LearningRate : LearningRate;
        return LearningRateDecayEpoch is int start && epoch >= start ? rate * Math.Pow(LearningRateDecay, epoch - start + 1) : rate;
    }

    /// <summary>Largest <see cref="Hidden"/>: far beyond the paper's 350, small enough that G and D fit in memory.</summary>
    public const int MaxHidden = 8192;
    public const int MaxLayers = 64;
    public const int MaxBatch = 100_000;
    /// <summary>Largest <see cref="Length"/> in events (the paper trains on 100-200).</summary>
    public const int MaxLength = 100_000;
    public const int MaxThreads = 1024;
    public const int MaxSyntheticSongs = 100_000;
    public const int MaxValidationSongs = 100_000;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first bad setting. Absurd sizes are refused here, up front,
    /// rather than failing later in an allocation deep inside torch.
    /// </summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }
        static void InRange(int value, int min, int max, string option) =>
            Require(value >= min && value <= max, value < min ? $"{option} must be at least {min}, got {value}" : $"{option} must be at most {max}, got {value}");

        Require(TonesPerCell is 1 or 3, $"--tones-per-cell must be 1 or 3, got {TonesPerCell}");
        InRange(Hidden, 1, MaxHidden, "--hidden");
        InRange(Layers, 1, MaxLayers, "--layers");
        InRange(Batch, 1, MaxBatch, "--batch");
        InRange(Length, 2, MaxLength, "--length");
        Require(Epochs >= 1, $"--epochs must be at least 1, got {Epochs}");
        Require(PretrainEpochs >= 0, $"--pretrain-epochs must not be negative, got {PretrainEpochs}");
        Require(PretrainDiscriminatorEpochs >= 0, $"--pretrain-d-epochs must not be negative, got {PretrainDiscriminatorEpochs}");
        Require(CurriculumStep >= 0, $"--curriculum-step must not be negative, got {CurriculumStep}");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"--learning-rate must be positive, got {LearningRate}");
        Require(DiscriminatorLearningRateFactor > 0 && double.IsFinite(DiscriminatorLearningRateFactor),
            $"--d-lr-factor must be positive, got {DiscriminatorLearningRateFactor}");
        Require(LearningRateDecayEpoch is null or >= 0, $"--lr-decay-epoch must be at least 1, got {LearningRateDecayEpoch + 1}");
        Require(LearningRateDecay is > 0 and <= 1, $"--lr-decay must be in (0, 1], got {LearningRateDecay}");
        Require(L2Scale >= 0 && double.IsFinite(L2Scale), $"--l2 must be 0 or more, got {L2Scale}");
        Require(PretrainLearningRate is null or > 0 && double.IsFinite(PretrainLearningRate ?? 1), $"--pretrain-learning-rate must be positive, got {PretrainLearningRate}");
        Require(AdamBeta1 is >= 0 and < 1, $"--adam-beta1 must be in [0, 1), got {AdamBeta1}");
        Require(RealLabel is > 0.5 and <= 1, $"--real-label must be in (0.5, 1], got {RealLabel}");
        Require(InstanceNoise is >= 0 and < 100, $"--instance-noise must be in [0, 100), got {InstanceNoise}");
        Require(FeatureSpreadWeight >= 0 && double.IsFinite(FeatureSpreadWeight), $"--fm-spread must be 0 or more, got {FeatureSpreadWeight}");
        Require(FeatureSpreadWeight == 0 || (FeatureMatching && FeatureMatchingOfMeans), "--fm-spread needs feature matching of means (--feature-matching-means)");
        Require(PitchClassProfileWeight >= 0 && double.IsFinite(PitchClassProfileWeight), $"--fm-pitch-classes must be 0 or more, got {PitchClassProfileWeight}");
        Require(PitchClassProfileWeight == 0 || (FeatureMatching && FeatureMatchingOfMeans), "--fm-pitch-classes needs feature matching of means (--feature-matching-means)");
        Require(!(PitchClassHead && DiscriminatorPitchClasses), "--pitch-class-head and --d-pitch-classes both give D the pitch classes: choose one");
        Require(ClipNorm > 0, $"--clip-norm must be positive, got {ClipNorm}");
        Require(AverageDecay is >= 0 and < 1, $"--average-decay must be in [0, 1), got {AverageDecay}");
        Require(MaxRollbacks >= 0, $"--max-rollbacks must not be negative, got {MaxRollbacks}");
        Require(FreezeRatio is > 0 and < 1, $"freeze ratio must be in (0, 1), got {FreezeRatio}");
        Require(Device is "cpu" || Device.StartsWith("cuda", StringComparison.Ordinal), $"--device must be cpu or cuda, got '{Device}'");
        Require(Threads is null || (Threads >= 1 && Threads <= MaxThreads), $"--threads must be 1 to {MaxThreads}, got {Threads}");
        Require(ValidationFraction is >= 0 and < 1, $"--validation-fraction must be at least 0 and below 1, got {ValidationFraction}");
        Require(TestFraction is >= 0 and < 1, $"--test-fraction must be at least 0 and below 1, got {TestFraction}");
        Require(ValidationFraction + TestFraction < 1,
            $"--validation-fraction and --test-fraction must leave songs to train on, got {ValidationFraction} + {TestFraction}");
        InRange(SyntheticSongs, 3, MaxSyntheticSongs, "--synthetic-songs");
        InRange(ValidationSongs, 2, MaxValidationSongs, "--validation-songs");
        Model.Validate();
    }
}
