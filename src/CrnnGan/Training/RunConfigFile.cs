using System.Text.Json;

namespace CrnnGan.Training;

/// <summary>
/// A run folder's config.json held against its checkpoint before the run resumes: both must describe the same run,
/// or one of them was copied in from another run (or damaged) and resuming would go on with the wrong one.
/// </summary>
public static class RunConfigFile
{
    /// <summary>Settings a resumed run may change; config.json holds the new value before the next checkpoint does.</summary>
    public static readonly IReadOnlyList<string> ResumableKeys = ["run.epochs", "optimisation.learning_rate", "run.threads", "run.mode", "run.pretrain_epochs"];

    /// <summary>Settings of G's adversarial loss, which a run may change when resumed before its first adversarial
    /// epoch: one pretrained run folder, copied, can go on adversarially with different losses.</summary>
    public static readonly IReadOnlyList<string> AdversarialLossKeys =
        ["losses.feature_matching", "losses.fm_means", "losses.fm_spread", "losses.g_loss", "losses.song_feature_mmd", "losses.adversarial_next_event"];

    /// <summary>Whether the run <paramref name="header"/> checkpoints has trained adversarially (a whole epoch or part of one).</summary>
    public static bool AdversarialStarted(CheckpointHeader header) =>
        header.Config.Run.Mode == TrainingMode.Gan
        && (header.Epoch > header.Config.Run.PretrainEpochs || (header.Epoch == header.Config.Run.PretrainEpochs && header.BatchInEpoch > 0));

    /// <summary>
    /// Checks config.json against the checkpoint's settings. A missing config.json is no error (resuming writes it
    /// anew from the checkpoint): the result then says so. Other settings than <see cref="ResumableKeys"/> that
    /// differ, or a config.json that is not settings, are a <see cref="RunFolderException"/> naming them.
    /// </summary>
    /// <returns>A note to show when config.json is missing and will be rebuilt, else null.</returns>
    public static string? Check(RunFolderLayout folder, CheckpointFile checkpoint)
    {
        string path = folder.Config;
        if (!File.Exists(path))
            return $"{path} is missing; it is written anew from the settings in {checkpoint.Path}";

        string remedy = $"put back the run's own {RunFolderLayout.ConfigFileName}, or delete it to have --resume write it anew from {checkpoint.Path}";
        TrainingConfig written;
        try
        {
            written = SettingsJson.Read(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or SettingException or RetiredSettingException)
        {
            throw new RunFolderException(path, $"cannot be read as the run's settings ({e.Message}); {remedy}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFolderException(path, $"cannot be read ({e.Message})");
        }

        bool lossesOpen = !AdversarialStarted(checkpoint.Header);
        var differences = SettingOverrides.Differences(written, checkpoint.Header.Config)
            .Where(d => !ResumableKeys.Contains(d.Key) && !(lossesOpen && AdversarialLossKeys.Contains(d.Key)))
            .Select(d => $"{d.Key} is {d.A} there and {d.B} in {TrainingCheckpoint.FileName}")
            .ToList();
        if (differences.Count > 0)
            throw new RunFolderException(path, $"it and {checkpoint.Path} describe different runs: {string.Join("; ", differences)}. " +
                                               $"One of them may come from another run: {remedy}");
        return null;
    }
}

/// <summary>A run folder that cannot be trained in as it is, with the file and the reason.</summary>
public sealed class RunFolderException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;
    public string Reason { get; } = reason;
}
