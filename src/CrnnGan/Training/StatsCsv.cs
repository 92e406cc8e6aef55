using System.Globalization;
using System.Text;
using CrnnGan.Evaluation;
using CrnnGan.IO;

namespace CrnnGan.Training;

/// <summary>stats.csv: one row per epoch, rewritten whole (temp file, then rename) so it always matches the checkpoint.</summary>
public static class StatsCsv
{
    public static readonly IReadOnlyList<string> LossColumns =
    [
        "epoch", "phase", "length", "batches", "g_loss", "d_loss", "fm_loss", "song_mmd", "mse_loss", "val_mse", "val_g_loss", "val_d_loss",
        "d_frozen", "g_frozen", "learning_rate", "seconds", "events_per_second", "sampled_songs", "songs_with_notes", "val_overlap",
        "val_realism", "val_feature_overlap", "val_next_pitch",
    ];

    /// <summary>Prefix of the columns of <see cref="EpochRecord.ValidationOverlaps"/>, one per paper statistic, after the means.</summary>
    public const string OverlapPrefix = "val_overlap_";

    public static string Header => string.Join(",", LossColumns
        .Concat(StatisticDefinitions.Names.Select(n => "mean_" + n))
        .Concat(SongSetEvaluation.PaperStatistics.Select(n => OverlapPrefix + n)));

    public static void Write(string path, IEnumerable<EpochRecord> history)
    {
        var text = new StringBuilder().AppendLine(Header);
        foreach (var row in history) text.AppendLine(Row(row));
        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static string Row(EpochRecord r)
    {
        var cells = new List<string>
        {
            F(r.Epoch), PhaseName(r.Phase), F(r.Length), F(r.Batches),
            F(r.GeneratorLoss), F(r.DiscriminatorLoss), F(r.FeatureMatchingLoss), F(r.SongFeatureMmd), F(r.MseLoss),
            F(r.ValidationMse), F(r.ValidationGeneratorLoss), F(r.ValidationDiscriminatorLoss),
            F(r.DiscriminatorFrozen), F(r.GeneratorFrozen), F(r.LearningRate), F(r.Seconds), F(r.EventsPerSecond),
            F(r.SampledSongs), F(r.SongsWithNotes), F(r.ValidationOverlap), F(r.ValidationRealism), F(r.ValidationFeatureOverlap),
            F(r.ValidationNextPitch),
        };
        cells.AddRange(StatisticDefinitions.Names.Select(n => r.Statistics.TryGetValue(n, out double v) ? F(v) : ""));
        cells.AddRange(SongSetEvaluation.PaperStatistics.Select(n => r.ValidationOverlaps.TryGetValue(n, out double v) ? F(v) : ""));
        return string.Join(",", cells);
    }

    public static string PhaseName(TrainingPhase phase) => phase switch
    {
        TrainingPhase.Pretraining => "pretraining",
        TrainingPhase.DiscriminatorPretraining => "d_pretraining",
        _ => "adversarial",
    };

    private static string F(double value) => double.IsNaN(value) ? "" : value.ToString("G6", CultureInfo.InvariantCulture);
    private static string F(int value) => value.ToString(CultureInfo.InvariantCulture);
}
