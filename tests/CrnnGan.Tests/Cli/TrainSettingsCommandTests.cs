using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrnnGan.Cli;
using CrnnGan.Generation;
using CrnnGan.Tests.IO;
using CrnnGan.Tests.Training;
using CrnnGan.Training;

namespace CrnnGan.Tests.Cli;

/// <summary><c>train --preset</c> and <c>--set</c> on the command line: a run's own config.json as its preset, help, older files.</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainSettingsCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Stats(string run) =>
        string.Join('\n', File.ReadAllLines(Path.Combine(run, RunFolderLayout.StatsFileName))
            .Select(line => string.Join(',', line.Split(',').Where((_, i) => !TimingColumns.Contains(i))))); // without the timing columns

    private static readonly int[] TimingColumns =
        [StatsCsv.LossColumns.ToList().IndexOf("seconds"), StatsCsv.LossColumns.ToList().IndexOf("events_per_second")];

    [Fact]
    public void ARunResumesFromItsOwnConfigJsonAndRunsAgainFromIt()
    {
        string first = Path.Combine(_folder.Path, "first");
        var trained = CliRunner.Run(TrainAndGenerateCommandTests.Tiny("train", "--out", first, "--set", "run.keep_by=worst"));
        Assert.True(trained.ExitCode == ExitCodes.Success, trained.Error);
        string config = Path.Combine(first, RunFolderLayout.ConfigFileName);

        var resumed = CliRunner.Run("train", "--resume", "--out", first, "--preset", config, "--epochs", "3");
        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.Error);
        Assert.Equal(3, TrainingCheckpoint.ReadHeader(Path.Combine(first, TrainingCheckpoint.FileName)).Epoch);
        Assert.Equal(3, SettingsJson.Read(File.ReadAllText(config)).Run.Epochs);

        string again = Path.Combine(_folder.Path, "again");
        var rerun = CliRunner.Run("train", "--preset", config, "--out", again);
        Assert.True(rerun.ExitCode == ExitCodes.Success, rerun.Error);
        Assert.Equal(Stats(first), Stats(again));
        Assert.Equal(File.ReadAllText(config), File.ReadAllText(Path.Combine(again, RunFolderLayout.ConfigFileName)));

        var otherPreset = CliRunner.Run("train", "--resume", "--out", first, "--preset", "paper");
        Assert.Equal(ExitCodes.BadUsage, otherPreset.ExitCode);
        Assert.Contains("--resume keeps the run's settings, but model.hidden asks for 350 where the run has 8", otherPreset.Error);
        var otherKey = CliRunner.Run("train", "--resume", "--out", first, "--set", "run.keep_by=mean");
        Assert.Contains("but run.keep_by asks for \"mean\" where the run has \"worst\"", otherKey.Error);
    }

    [Fact]
    public void ABaselineRunGoesOnAdversariallyOnlyWhenTheModeIsAskedForByName()
    {
        string run = Path.Combine(_folder.Path, "pretrained");
        var trained = CliRunner.Run(TrainAndGenerateCommandTests.Tiny("train", "--out", run, "--mode", "baseline", "--epochs", "2"));
        Assert.True(trained.ExitCode == ExitCodes.Success, trained.Error);
        string config = Path.Combine(run, RunFolderLayout.ConfigFileName);

        var samePresetAsGan = CliRunner.Run("train", "--resume", "--out", run, "--preset", "crnngan", "--epochs", "3");
        Assert.Equal(ExitCodes.BadUsage, samePresetAsGan.ExitCode);
        Assert.Contains("--resume keeps the run's settings", samePresetAsGan.Error);

        var resumed = CliRunner.Run("train", "--resume", "--out", run, "--set", "run.mode=gan", "--epochs", "3", "--set", "losses.song_feature_mmd=1");
        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.Error);
        var stored = SettingsJson.Read(File.ReadAllText(config));
        Assert.Equal((TrainingMode.Gan, 2, 3, 1.0), (stored.Mode, stored.Run.PretrainEpochs, stored.Run.Epochs, stored.Losses.SongFeatureMmd));
        Assert.Equal(["pretraining", "pretraining", "adversarial"],
            File.ReadAllLines(Path.Combine(run, RunFolderLayout.StatsFileName)).Skip(1).Select(l => l.Split(',')[1]));

        var lossesAfterAdversarialEpochs = CliRunner.Run("train", "--resume", "--out", run, "--epochs", "4", "--set", "losses.song_feature_mmd=2");
        Assert.Equal(ExitCodes.BadUsage, lossesAfterAdversarialEpochs.ExitCode);
        Assert.Contains("losses.song_feature_mmd", lossesAfterAdversarialEpochs.Error);
        Assert.Contains("before the first adversarial epoch", lossesAfterAdversarialEpochs.Error);
    }

    [Fact]
    public void TrainHelpListsAtMostTwentyOptionsWithPresetAndSetExplained()
    {
        var help = CliRunner.Run("train", "--help");
        Assert.Equal(0, help.ExitCode);
        int options = Regex.Matches(help.Output, @"(?m)^\s+(-\S+, )?--[a-z]").Count;
        Assert.InRange(options, 10, 20);
        Assert.Matches(@"--preset <NAME\|FILE>\s+Where the settings start: a preset \(bundled-classical, crnngan, demo, paper\) or a settings\s+file\s+\[default: crnngan, or demo without --data\]", help.Output);
        Assert.Contains("--set losses.fm_spread=1", help.Output);
    }

    [Fact]
    public void AGeneratorFileOfARetiredSettingNamesTheSettingAndTheTag()
    {
        string file = Path.Combine(_folder.Path, "transposed.bin");
        RewriteHeader(TrainedModel.BundledPath, file, header => header["Config"]!["TransposeToC"] = true);

        var result = CliRunner.Run("generate", "--model", file, "--out", Path.Combine(_folder.Path, "songs"));
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains($"{file}: trained with --transpose-to-c, which crnngan no longer has", result.Error);
        Assert.Contains("git tag pre-settings-as-data", result.Error);
    }

    /// <summary>A run folder from before settings were grouped (its checkpoint's and config.json's settings flat, as
    /// the header of the bundled model of 2026-12-02 held them: the fixture is that header's settings) resumes, generates
    /// and plots as before.</summary>
    [Fact]
    public void ARunFolderWithTheOlderFlatSettingsStillResumesGeneratesAndPlots()
    {
        string run = Path.Combine(_folder.Path, "old");
        // Preset crnngan, whose settings the older flat files held (a run without --data is the demo's otherwise).
        var trained = CliRunner.Run(TrainAndGenerateCommandTests.Tiny("train", "--preset", "crnngan", "--out", run));
        Assert.True(trained.ExitCode == ExitCodes.Success, trained.Error);
        string checkpoint = Path.Combine(run, TrainingCheckpoint.FileName);
        var settings = TrainingCheckpoint.ReadHeader(checkpoint).Config;

        var flat = JsonNode.Parse(File.ReadAllText(CrnnGan.Tests.Training.SettingsTests.RepositoryFile("tests/CrnnGan.Tests/Cli/flat-settings-2026-12-02.json")))!.AsObject();
        foreach (var (key, value) in new (string, JsonNode?)[]
        {
            ("Hidden", 8), ("Layers", 1), ("Batch", 4), ("Length", 12), ("Epochs", 2), ("PretrainEpochs", 1), ("CurriculumStep", 4),
            ("SyntheticSongs", 20), ("Threads", 1), ("Seed", 3), ("DataSplitSeed", 3), ("SongNoise", 0), ("SongVelocity", false),
            ("FixedVelocitySpread", false), ("DiscriminatorSongLags", 0), ("ValidationSongs", 200), ("KeepBy", "Mean"),
            ("KeepEveryGenerator", false), ("DataPath", null),
        })
            flat[key] = value;
        Assert.Equal(settings, SettingsJson.Read(flat.ToJsonString()));
        File.WriteAllText(Path.Combine(run, RunFolderLayout.ConfigFileName), flat.ToJsonString());
        RewriteHeader(checkpoint, checkpoint, header => header["Config"] = flat.DeepClone());

        var resumed = CliRunner.Run("train", "--resume", "--out", run, "--epochs", "3");
        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.Error);
        Assert.Equal(settings.With("run.epochs=3"), TrainingCheckpoint.ReadHeader(checkpoint).Config);
        File.WriteAllText(Path.Combine(run, RunFolderLayout.ConfigFileName), flat.ToJsonString());
        Assert.Equal(ExitCodes.Success, CliRunner.Run("generate", "--model", run, "--count", "1", "--out", Path.Combine(_folder.Path, "songs")).ExitCode);
        var plot = CliRunner.Run("plot", run, "--out", Path.Combine(_folder.Path, "plots"));
        Assert.True(plot.ExitCode == ExitCodes.Success, plot.Error);
    }

    /// <summary>Writes <paramref name="source"/> with its JSON header edited to <paramref name="target"/>.</summary>
    private static void RewriteHeader(string source, string target, Action<JsonNode> edit) =>
        File.WriteAllBytes(target, HeaderedBytes.EditHeader(File.ReadAllBytes(source), edit));
}
