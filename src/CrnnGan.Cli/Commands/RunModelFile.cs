using CrnnGan.Generation;
using CrnnGan.Training;

namespace CrnnGan.Cli.Commands;

/// <summary>
/// Which file of a run folder a command loads G from, as <c>generate --model</c> and <c>evaluate</c> both choose it:
/// the run's best epoch (best-generator.bin) unless --last or it has none yet, then its last (checkpoint.bin).
/// </summary>
/// <param name="Path">The file to load.</param>
/// <param name="Describe">The words that say which epoch the loaded file holds; null where the file says it itself
/// (a file given by name).</param>
public sealed record RunModelFile(string Path, Func<TrainedModel, string>? Describe)
{
    /// <summary>
    /// The file for <paramref name="model"/>, a run folder or a checkpoint or generator file, given as
    /// <paramref name="named"/> (e.g. "--model"). A run folder without a checkpoint gives its checkpoint's path, for the
    /// caller to name as missing.
    /// </summary>
    public static RunModelFile Choose(string model, bool last, string named)
    {
        if (!Directory.Exists(model))
        {
            if (last) throw new UsageException($"--last needs {named} to be a run folder; {model} is a file");
            return new RunModelFile(model, null);
        }
        var layout = new RunFolderLayout(model);
        if (!File.Exists(layout.Checkpoint))
            return new RunModelFile(layout.Checkpoint, null);
        int? lastEpoch = LastEpoch(layout.Checkpoint);
        if (last)
            return new RunModelFile(layout.Checkpoint, trained => $"the run's last epoch, {trained.EpochsTrained}");
        if (!File.Exists(layout.BestGenerator))
            return new RunModelFile(layout.Checkpoint, trained => $"the run's last epoch, {trained.EpochsTrained}: it has no best epoch yet " +
                                                                   $"({RunFolderLayout.BestGeneratorFileName} comes with its first adversarial epoch)");
        return new RunModelFile(layout.BestGenerator, trained => $"the run's best epoch, {trained.EpochsTrained}" + lastEpoch switch
        {
            int end when end == trained.EpochsTrained => ", also its last",
            int end => $" of {end}; --last takes epoch {end}",
            null => "; --last takes the last",
        });
    }

    /// <summary>Whether <paramref name="folder"/> is a run folder: one that holds a checkpoint.</summary>
    public static bool IsRunFolder(string folder) => File.Exists(System.IO.Path.Combine(folder, TrainingCheckpoint.FileName));

    /// <summary>The epoch a run's checkpoint was saved after, for the note on which epoch is used; null if unreadable
    /// (generating from its best G does not need it).</summary>
    private static int? LastEpoch(string checkpoint)
    {
        try
        {
            return TrainingCheckpoint.ReadHeader(checkpoint).Epoch;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or CrnnGan.IO.CheckpointException or SettingException)
        {
            return null;
        }
    }
}
