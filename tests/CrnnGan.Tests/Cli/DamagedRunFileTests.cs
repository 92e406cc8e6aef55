using CrnnGan.Cli;
using CrnnGan.IO;
using CrnnGan.Tests.IO;
using CrnnGan.Training;
using Xunit.Abstractions;

namespace CrnnGan.Tests.Cli;

/// <summary>
/// Damaged or foreign run files from the command line, in child processes: a changed byte or a cut in a checkpoint or
/// generator file is refused by generate, resume and evaluate, naming the file; a checkpoint of another run is refused
/// by resume; files written before checksums still load.
/// </summary>
public sealed class DamagedRunFileTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("flipped", "damaged checkpoint: its bytes do not match the SHA-256 checksum", "damaged generator file: its bytes do not match")]
    [InlineData("cut", "truncated checkpoint: it ends", "truncated generator file: it ends")]
    public void ADamagedCheckpointOrGeneratorFile_IsRefusedByGenerateResumeAndEvaluate(string damage, string checkpointReason, string generatorReason)
    {
        string run = Path.Combine(_folder.Path, "run");
        TrainTinyRun(run, seed: 6, epochs: 2);
        string checkpoint = Path.Combine(run, TrainingCheckpoint.FileName);
        string generator = Path.Combine(run, RunFolderLayout.BestGeneratorFileName);
        Damage(checkpoint, damage);
        Damage(generator, damage);
        string stats = File.ReadAllText(Path.Combine(run, RunFolderLayout.StatsFileName));
        string real = Directory.CreateDirectory(Path.Combine(_folder.Path, "real")).FullName;
        string songs = Path.Combine(_folder.Path, "songs");

        var commands = new (string[] Args, string File, string Reason)[]
        {
            (["generate", "--model", run, "--last", "--out", songs], checkpoint, checkpointReason),
            (["train", "--resume", "--out", run, "--epochs", "3"], checkpoint, checkpointReason),
            (["evaluate", run, "--last", "--real", real, "--count", "4"], checkpoint, checkpointReason),
            (["evaluate", run, "--real", real, "--count", "4"], generator, generatorReason),
            (["generate", "--model", generator, "--out", songs], generator, generatorReason),
            (["evaluate", generator, "--real", real, "--count", "4"], generator, generatorReason),
        };
        foreach (var (args, file, reason) in commands)
        {
            using var child = CliChild.Run(args);
            output.WriteLine($"crnngan {string.Join(' ', args)}: exit {child.ExitCode}: {child.Error.Trim()}");
            Assert.True(child.ExitCode == ExitCodes.Failure, $"{string.Join(' ', args)}: exit {child.ExitCode}; {child.Output} {child.Error}");
            Assert.Contains($"crnngan: error: {file}: {reason}", child.Error);
        }
        Assert.False(Path.Exists(songs));
        Assert.Equal(stats, File.ReadAllText(Path.Combine(run, RunFolderLayout.StatsFileName))); // resume trained nothing
    }

    [Fact]
    public void FilesWrittenBeforeChecksums_StillLoad_AndGiveTheSameSongs()
    {
        string run = Path.Combine(_folder.Path, "run");
        TrainTinyRun(run, seed: 7, epochs: 2);
        string old = Path.Combine(_folder.Path, "old");
        Directory.CreateDirectory(old);
        foreach (string name in new[] { TrainingCheckpoint.FileName, RunFolderLayout.BestGeneratorFileName })
        {
            byte[] current = File.ReadAllBytes(Path.Combine(run, name));
            Assert.True(HeaderedBytes.HasTrailer(current), $"{name} was written without a checksum");
            File.WriteAllBytes(Path.Combine(old, name), HeaderedBytes.WithoutChecksum(current));
        }

        Assert.Equal(Generate(run), Generate(Path.Combine(old, TrainingCheckpoint.FileName)));
        Assert.Equal(Generate(Path.Combine(run, RunFolderLayout.BestGeneratorFileName)), Generate(Path.Combine(old, RunFolderLayout.BestGeneratorFileName)));
    }

    [Fact]
    public void ResumeRefusesACheckpointOfAnotherRunOrAGarbageConfig_AndRebuildsAMissingConfig()
    {
        string own = Path.Combine(_folder.Path, "own"), other = Path.Combine(_folder.Path, "other");
        TrainTinyRun(own, seed: 8, epochs: 1, "--set", "model.hidden=16");
        TrainTinyRun(other, seed: 8, epochs: 1, "--set", "model.hidden=24", "--set", "model.tones_per_cell=3");
        string config = Path.Combine(own, RunFolderLayout.ConfigFileName);
        string checkpoint = Path.Combine(own, TrainingCheckpoint.FileName);
        string stats = Path.Combine(own, RunFolderLayout.StatsFileName);
        string ownConfig = File.ReadAllText(config), ownStats = File.ReadAllText(stats);
        byte[] ownCheckpoint = File.ReadAllBytes(checkpoint);

        File.Copy(Path.Combine(other, TrainingCheckpoint.FileName), checkpoint, overwrite: true);
        using (var foreign = CliChild.Run("train", "--resume", "--out", own, "--epochs", "2"))
        {
            output.WriteLine(foreign.Error);
            Assert.Equal(ExitCodes.Failure, foreign.ExitCode);
            Assert.Contains($"crnngan: error: {config}: it and {checkpoint} describe different runs: ", foreign.Error);
            Assert.Contains("model.hidden is 16 there and 24 in checkpoint.bin", foreign.Error);
            Assert.Contains("model.tones_per_cell is 1 there and 3 in checkpoint.bin", foreign.Error);
        }
        Assert.Equal(ownConfig, File.ReadAllText(config));
        Assert.Equal(ownStats, File.ReadAllText(stats));

        File.WriteAllBytes(checkpoint, ownCheckpoint);
        File.WriteAllText(config, "{ this is not the settings");
        using (var garbage = CliChild.Run("train", "--resume", "--out", own, "--epochs", "2"))
        {
            output.WriteLine(garbage.Error);
            Assert.Equal(ExitCodes.Failure, garbage.ExitCode);
            Assert.Contains($"crnngan: error: {config}: cannot be read as the run's settings", garbage.Error);
        }
        Assert.Equal(ownStats, File.ReadAllText(stats));

        File.Delete(config);
        using (var rebuilt = CliChild.Run("train", "--resume", "--out", own, "--epochs", "2"))
        {
            output.WriteLine(rebuilt.Output);
            Assert.True(rebuilt.ExitCode == ExitCodes.Success, rebuilt.Error);
            Assert.Contains($"note: {config} is missing; it is written anew from the settings in {checkpoint}", OneLine(rebuilt.Output));
        }
        Assert.Equal(ownConfig.Replace("\"epochs\": 1", "\"epochs\": 2"), File.ReadAllText(config));
    }

    /// <summary>The console output with the line breaks it wraps long lines at turned back into spaces.</summary>
    private static string OneLine(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private static void TrainTinyRun(string run, int seed, int epochs, params string[] more)
    {
        using var train = CliChild.Run([.. RunFolderLockTests.Train(run, seed, epochs), .. more]);
        Assert.True(train.ExitCode == ExitCodes.Success, train.Error);
    }

    /// <summary>Flips one bit in the middle of the weights, or cuts the file there.</summary>
    private static void Damage(string path, string how)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int start = HeaderedBytes.TensorsStart(bytes);
        int middle = start + (bytes.Length - HeaderedFile.TrailerLength - start) / 2;
        if (how == "cut")
        {
            File.WriteAllBytes(path, bytes[..middle]);
            return;
        }
        bytes[middle] ^= 0x10;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The bytes of two songs from seed 5.</summary>
    private byte[][] Generate(string model)
    {
        string songs = Path.Combine(_folder.Path, "songs-" + Guid.NewGuid().ToString("N"));
        using var generate = CliChild.Run("generate", "--model", model, "--count", "2", "--seed", "5", "--out", songs);
        Assert.True(generate.ExitCode == ExitCodes.Success, generate.Error);
        return Directory.GetFiles(songs, "*.mid").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
    }
}
