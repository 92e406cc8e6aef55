using System.Text.Json.Serialization;
using static CrnnGan.Training.SettingRules;

namespace CrnnGan.Training;

/// <summary>What a run conditions G and D on (see <see cref="DataSettings.Condition"/>).</summary>
public enum ConditionLabel { None, Composer, Genre }

/// <summary>The <c>data</c> group: the songs, how they are split and cut.</summary>
public sealed record DataSettings
{
    /// <summary>The MIDI folder trained on; null = the built-in synthetic corpus.</summary>
    [JsonPropertyName("path")] public string? Path { get; init; }
    [JsonPropertyName("synthetic_songs")] public int SyntheticSongs { get; init; } = 200;
    /// <summary>Events per training window.</summary>
    [JsonPropertyName("length")] public int Length { get; init; } = 100;
    [JsonPropertyName("validation_fraction")] public double ValidationFraction { get; init; } = 0.1;
    [JsonPropertyName("test_fraction")] public double TestFraction { get; init; } = 0.1;
    /// <summary>Seed of the train/validation/test split when it should differ from the run's seed (null: the run's),
    /// so runs of other seeds can be compared on one split and tested on songs none of them trained on.</summary>
    [JsonPropertyName("split_seed")] public int? SplitSeed { get; init; }
    /// <summary>What G and D are conditioned on: none (the paper's GAN), or each song's composer or genre as the corpus's
    /// folders say (genre/composer/*.mid) or <see cref="LabelsCsv"/>, so generate can ask for one (see <see cref="LabelSet"/>).</summary>
    [JsonPropertyName("condition")] public ConditionLabel Condition { get; init; }
    /// <summary>A CSV giving each file's composer and/or genre instead of the folders (see <see cref="Data.LabelsCsv"/>);
    /// files of <see cref="Path"/> it does not list are left out. Null: the folders.</summary>
    [JsonPropertyName("labels_csv")] public string? LabelsCsv { get; init; }
    /// <summary>Labels with fewer training songs than this are grouped into one label, "other".</summary>
    [JsonPropertyName("min_label_songs")] public int MinLabelSongs { get; init; } = 20;

    /// <summary>Largest <see cref="Length"/> in events (the paper trains on 100-200).</summary>
    public const int MaxLength = 100_000;
    public const int MaxSyntheticSongs = 100_000;

    internal void Validate()
    {
        Require(Path is null || Path.Length > 0, "data.path", "must be a folder of MIDI files, got an empty string");
        InRange(SyntheticSongs, 3, MaxSyntheticSongs, "data.synthetic_songs");
        InRange(MinLabelSongs, 1, MaxSyntheticSongs, "data.min_label_songs");
        Require(Condition == ConditionLabel.None || Path is not null, "data.condition",
            "reads each song's composer or genre from the folders of data.path (genre/composer/*.mid) or data.labels_csv: give a MIDI folder");
        Require(LabelsCsv is null || LabelsCsv.Length > 0, "data.labels_csv", "must be a CSV file of labels, got an empty string");
        Require(LabelsCsv is null || Condition != ConditionLabel.None, "data.labels_csv",
            "gives the labels a conditioned run trains on: set data.condition (--condition) to composer or genre, or leave data.labels_csv out");
        InRange(Length, 2, MaxLength, "data.length");
        Require(ValidationFraction is >= 0 and < 1, "data.validation_fraction", $"must be at least 0 and below 1, got {Show(ValidationFraction)}");
        Require(TestFraction is >= 0 and < 1, "data.test_fraction", $"must be at least 0 and below 1, got {Show(TestFraction)}");
        Require(ValidationFraction + TestFraction < 1, "data.validation_fraction",
            $"and data.test_fraction must leave songs to train on, got {Show(ValidationFraction)} + {Show(TestFraction)}");
    }
}
