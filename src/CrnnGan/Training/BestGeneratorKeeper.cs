using CrnnGan.Generation;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Training;

/// <summary>
/// Keeps G of the epoch that measured closest to the validation songs (by <see cref="RunSettings.KeepBy"/>) in
/// best-generator.bin, and with <see cref="RunSettings.KeepEveryGenerator"/> G of every competing epoch as well.
/// </summary>
public sealed class BestGeneratorKeeper(TrainingConfig config, TrainingData data, RunFolderLayout folder)
{
    /// <summary>
    /// Epochs of the run's final kind (adversarial, or any for the baseline) compete for the best generator: the
    /// statistics swing from epoch to epoch, so the last epoch is rarely the one that measures most like real music.
    /// </summary>
    public bool Competes(EpochRecord record) =>
        double.IsFinite(config.BestEpochScore(record)) && record.Phase == config.PhaseAt(Math.Max(config.Run.Epochs, record.Epoch) - 1);

    /// <summary>The epoch of <paramref name="history"/> whose G best-generator.bin holds, if any competed yet.</summary>
    public EpochRecord? Best(IEnumerable<EpochRecord> history) => history.Where(Competes).MaxBy(config.BestEpochScore);

    /// <summary>Saves <paramref name="sampled"/> as the epoch's G where it competes: as the best when it beats
    /// <paramref name="history"/>'s best, and as its own file when every epoch's G is kept.</summary>
    public void Consider(EpochRecord record, IEnumerable<EpochRecord> history, Generator sampled)
    {
        if (!Competes(record)) return;
        if (Best(history) is not { } best || config.BestEpochScore(record) > config.BestEpochScore(best))
            Save(folder.BestGenerator, record, sampled);
        if (config.Run.KeepEveryGenerator)
            Save(folder.EpochGenerator(record.Epoch), record, sampled);
    }

    private static string KeptBy(BestEpochMeasure measure) => measure switch
    {
        BestEpochMeasure.Worst => "lowest",
        BestEpochMeasure.Realism => "classifier",
        _ => "mean",
    };

    private static string RealismText(EpochRecord record) => double.IsNaN(record.ValidationRealism) ? ""
        : $"classifier accuracy {record.ValidationRealism:F3}, musical features' overlap {record.ValidationFeatureOverlap:F3}; ";

    private void Save(string path, EpochRecord record, Generator sampled)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        GeneratorFile.Save(path, sampled, new GeneratorFileHeader
        {
            Config = config,
            ScalingJson = data.Scaling.ToJson(),
            EpochsTrained = record.Epoch,
            TempoBpm = data.TempoBpm,
            Provenance = $"{folder.Folder}, epoch {record.Epoch}: validation overlap {record.ValidationOverlap:F3} (mean of the six paper statistics; " +
                         $"lowest {record.WorstValidationOverlap:F3}; {RealismText(record)}kept by the {KeptBy(config.Run.KeepBy)}, " +
                         $"{record.SampledSongs} songs against segments of the validation songs)",
        });
    }
}
