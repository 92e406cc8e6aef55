using System.Buffers.Binary;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrnnGan.Cli;
using CrnnGan.Generation;
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
            .Select(line => string.Join(',', line.Split(',').Where((_, i) => i is < 14 or > 15)))); // without the timing columns

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
    public void TrainHelpListsAtMostTwentyOptionsWithPresetAndSetExplained()
    {
        var help = CliRunner.Run("train", "--help");
        Assert.Equal(0, help.ExitCode);
        int options = Regex.Matches(help.Output, @"(?m)^\s+(-\S+, )?--[a-z]").Count;
        Assert.InRange(options, 10, 20);
        Assert.Matches(@"--preset <NAME\|FILE>\s+Where the settings start: a preset \(bundled-classical, crnngan, paper; default crnngan\)", help.Output);
        Assert.Contains("--set losses.fm_spread=1", help.Output);
    }

    [Fact]
    public void AGeneratorFileOfARetiredSettingNamesTheSettingAndTheTag()
    {
        byte[] bundled = File.ReadAllBytes(TrainedModel.BundledPath);
        int length = BinaryPrimitives.ReadInt32LittleEndian(bundled.AsSpan(8, 4));
        var header = JsonNode.Parse(bundled.AsSpan(12, length))!;
        header["Config"]!["TransposeToC"] = true;
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        string file = Path.Combine(_folder.Path, "transposed.bin");
        using (var stream = File.Create(file))
        {
            stream.Write(bundled.AsSpan(0, 8));
            Span<byte> size = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(size, json.Length);
            stream.Write(size);
            stream.Write(json);
            stream.Write(bundled.AsSpan(12 + length));
        }

        var result = CliRunner.Run("generate", "--model", file, "--out", Path.Combine(_folder.Path, "songs"));
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains($"{file}: trained with --transpose-to-c, which crnngan no longer has", result.Error);
        Assert.Contains("git tag pre-settings-as-data", result.Error);
    }
}
