using System.Text.Json.Serialization;
using static CrnnGan.Training.SettingRules;

namespace CrnnGan.Training;

/// <summary>The <c>losses</c> group: what G's loss is made of.</summary>
public sealed record LossSettings
{
    /// <summary>G matches D's last-layer features of real songs instead of fooling D directly.</summary>
    [JsonPropertyName("feature_matching")] public bool FeatureMatching { get; init; }
    /// <summary>Feature matching compares batch means of D's features rather than song pairs (see <see cref="GanLosses.FeatureMatchingOfMeans"/>).</summary>
    [JsonPropertyName("fm_means")] public bool FeatureMatchingOfMeans { get; init; }
    /// <summary>Weight of <see cref="GanLosses.FeatureSpreadMatching"/> in G's feature-matching loss (0 = off).</summary>
    [JsonPropertyName("fm_spread")] public double FeatureSpreadWeight { get; init; }
    /// <summary>G's adversarial loss without feature matching: non-saturating, or the paper's minimax.</summary>
    [JsonPropertyName("g_loss")] public GeneratorLossForm GeneratorLoss { get; init; } = GeneratorLossForm.NonSaturating;

    /// <summary>Weight of <see cref="GanLosses.SongFeatureMmd"/> on <see cref="SoftSongFeatures"/> in G's loss (0 = off).</summary>
    [JsonPropertyName("song_feature_mmd")] public double SongFeatureMmd { get; init; }

    /// <summary>Pretraining draws G's noise this many times per song and scores each step by its nearest draw
    /// (<see cref="GanLosses.NextEventBestOf"/>); 1 = the paper's next-event MSE.</summary>
    [JsonPropertyName("pretrain_samples")] public int PretrainSamples { get; init; } = 1;

    public const int MaxPretrainSamples = 64;

    /// <summary>Weight of the next-event loss of pretraining (with <see cref="PretrainSamples"/> draws) in G's loss in
    /// adversarial epochs too, keeping G near every kind of next event the music has (0 = off, as in the paper).</summary>
    [JsonPropertyName("adversarial_next_event")] public double AdversarialNextEvent { get; init; }

    internal void Validate()
    {
        InRange(PretrainSamples, 1, MaxPretrainSamples, "losses.pretrain_samples");
        AtLeastZero(AdversarialNextEvent, "losses.adversarial_next_event");
        AtLeastZero(SongFeatureMmd, "losses.song_feature_mmd");
        AtLeastZero(FeatureSpreadWeight, "losses.fm_spread");
        Require(FeatureSpreadWeight == 0 || (FeatureMatching && FeatureMatchingOfMeans), "losses.fm_spread",
            "needs feature matching of means (losses.feature_matching and losses.fm_means)");
    }
}
