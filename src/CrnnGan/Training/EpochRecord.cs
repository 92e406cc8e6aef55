using System.Text.Json.Serialization;

namespace CrnnGan.Training;

/// <summary>One row of stats.csv: what an epoch did and what G's songs measured at its end.</summary>
public sealed record EpochRecord
{
    public int Epoch { get; init; }
    public TrainingPhase Phase { get; init; }
    public int Length { get; init; }
    public int Batches { get; init; }
    public double GeneratorLoss { get; init; } = double.NaN;
    public double DiscriminatorLoss { get; init; } = double.NaN;
    public double FeatureMatchingLoss { get; init; } = double.NaN;
    /// <summary>Mean of <see cref="GanLosses.SongFeatureMmd"/> over the adversarial batches (NaN when it is off).</summary>
    public double SongFeatureMmd { get; init; } = double.NaN;
    public double MseLoss { get; init; } = double.NaN;
    public double ValidationMse { get; init; } = double.NaN;
    /// <summary>Teacher forced over the validation songs, the share of next pitches G's guess hits exactly
    /// (<see cref="NextPitchGuess"/>); NaN without validation songs and in runs older than this figure.</summary>
    public double ValidationNextPitch { get; init; } = double.NaN;
    public double ValidationGeneratorLoss { get; init; } = double.NaN;
    public double ValidationDiscriminatorLoss { get; init; } = double.NaN;
    public int DiscriminatorFrozen { get; init; }
    public int GeneratorFrozen { get; init; }
    public double LearningRate { get; init; }
    public double Seconds { get; init; }
    public double EventsPerSecond { get; init; }
    public int SampledSongs { get; init; }
    public int SongsWithNotes { get; init; }
    /// <summary>Mean overlapping area of the six paper statistics between the sampled songs and segments of the
    /// validation songs (NaN without validation songs or when no sampled song has notes).</summary>
    public double ValidationOverlap { get; init; } = double.NaN;
    /// <summary>The overlapping area of each paper statistic (by name) that <see cref="ValidationOverlap"/> averages;
    /// <summary>With <c>run.keep_by=realism</c>: the accuracy of a classifier telling the sampled songs from the validation
    /// songs by their musical features (0.5: it cannot tell them apart); NaN otherwise.</summary>
    public double ValidationRealism { get; init; } = double.NaN;

    /// <summary>With <c>run.keep_by=realism</c>: the mean overlapping area of the musical features with the validation songs'.</summary>
    public double ValidationFeatureOverlap { get; init; } = double.NaN;

    /// empty where it is NaN, and in runs older than this record.</summary>
    public Dictionary<string, double> ValidationOverlaps { get; init; } = new();
    /// <summary>The lowest of <see cref="ValidationOverlaps"/> (NaN when there are none).</summary>
    [JsonIgnore]
    public double WorstValidationOverlap => ValidationOverlaps.Count == 0 ? double.NaN : ValidationOverlaps.Values.Min();
    /// <summary>Mean of each statistic (by name, see StatisticDefinitions) over the sampled songs that had notes.</summary>
    public Dictionary<string, double> Statistics { get; init; } = new();
}

/// <summary>Running sums of an epoch's losses, kept in a checkpoint so a run interrupted mid-epoch resumes exactly.</summary>
public sealed class EpochAccumulator
{
    public int Batches { get; set; }
    public double GeneratorLoss { get; set; }
    public double DiscriminatorLoss { get; set; }
    public double FeatureMatchingLoss { get; set; }
    public double SongFeatureMmd { get; set; }
    public double MseLoss { get; set; }
    public int AdversarialBatches { get; set; }
    public int DiscriminatorFrozen { get; set; }
    public int GeneratorFrozen { get; set; }
    public double Seconds { get; set; }
    public long Events { get; set; }

    public double Mean(double sum, int count) => count == 0 ? double.NaN : sum / count;
}
