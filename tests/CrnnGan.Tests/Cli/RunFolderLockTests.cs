using CrnnGan.Cli;
using CrnnGan.Training;
using Xunit.Abstractions;

namespace CrnnGan.Tests.Cli;

/// <summary>
/// <c>crnngan train</c> in child processes sharing one run folder: one writer at a time, the others refused at once
/// naming it, and the lock of a killed run taken over.
/// </summary>
public sealed class RunFolderLockTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A tiny run on the synthetic corpus: a few seconds per run, most of it starting the process.</summary>
    internal static string[] Train(string run, int seed, int epochs) =>
    [
        "train", "--preset", "crnngan", "--hidden", "8", "--set", "model.layers=1", "--batch", "4", "--length", "12", "--epochs", $"{epochs}",
        "--pretrain-epochs", "1", "--set", "data.synthetic_songs=24", "--threads", "1", "--seed", $"{seed}", "--out", run,
    ];

    [Fact]
    public void TwoTrainsStartedOnOneFolder_OneIsRefusedNamingTheOther_AndTheOtherRunsAsIfAlone()
    {
        string run = Path.Combine(_folder.Path, "shared");
        using var first = CliChild.Start(Train(run, seed: 1, epochs: 3));
        Thread.Sleep(500);
        using var second = CliChild.Start(Train(run, seed: 2, epochs: 3));
        Assert.True(first.Wait(TimeSpan.FromSeconds(120)) && second.Wait(TimeSpan.FromSeconds(120)), "a run did not finish");
        output.WriteLine($"first (seed 1, pid {first.Id}): exit {first.ExitCode}; second (seed 2, pid {second.Id}): exit {second.ExitCode} {second.Error}");

        var (winner, loser, seed) = first.ExitCode == ExitCodes.Success ? (first, second, 1) : (second, first, 2);
        Assert.True(winner.ExitCode == ExitCodes.Success, winner.Error);
        Assert.Equal(ExitCodes.Failure, loser.ExitCode);
        Assert.Contains($"{run} is in use: process {winner.Id} is training there", loser.Error);
        Assert.DoesNotContain("run folder:", loser.Output); // refused before it read any data or trained

        string alone = Path.Combine(_folder.Path, "alone");
        using (var lone = CliChild.Run(Train(alone, seed, epochs: 3)))
            Assert.True(lone.ExitCode == ExitCodes.Success, lone.Error);
        Assert.Equal(File.ReadAllText(Path.Combine(alone, RunFolderLayout.ConfigFileName)), File.ReadAllText(Path.Combine(run, RunFolderLayout.ConfigFileName)));
        Assert.Equal(StatsWithoutTimes(alone), StatsWithoutTimes(run));
        Assert.Equal(GeneratedMidi(alone), GeneratedMidi(run));
        Assert.False(File.Exists(Path.Combine(run, RunFolderLock.PidFileName)), "run.pid is left after the run ended");
    }

    [Fact]
    public void ResumeWhileTheRunStillTrains_IsRefusedNamingIt()
    {
        string run = Path.Combine(_folder.Path, "run");
        string checkpoint = Path.Combine(run, TrainingCheckpoint.FileName);
        using var training = CliChild.Start(Train(run, seed: 3, epochs: 40));
        WaitFor(() => File.Exists(checkpoint) && File.Exists(Path.Combine(run, RunFolderLayout.StatsFileName)), training);

        using var resume = CliChild.Run("train", "--resume", "--out", run);
        bool stillTraining = !training.Wait(TimeSpan.Zero);
        output.WriteLine($"resume: exit {resume.ExitCode}: {resume.Error}; the run still trained: {stillTraining}");

        Assert.True(stillTraining, "the run ended before the resume could be tried beside it");
        Assert.Equal(ExitCodes.Failure, resume.ExitCode);
        Assert.Contains($"{run} is in use: process {training.Id} is training there", resume.Error);
        Assert.DoesNotContain("resuming", resume.Output);
    }

    [Fact]
    public void TheLockOfAKilledRun_IsTakenOverSayingSo_AndTheRunFinishes()
    {
        string run = Path.Combine(_folder.Path, "run");
        string checkpoint = Path.Combine(run, TrainingCheckpoint.FileName);
        int killedId;
        using (var killed = CliChild.Start(Train(run, seed: 4, epochs: 3)))
        {
            killedId = killed.Id;
            Assert.True(killed.KillWhen(() => File.Exists(checkpoint)), $"the run ended before the kill: {killed.Error}");
        }
        Assert.Equal($"{killedId}", File.ReadAllText(Path.Combine(run, RunFolderLock.PidFileName)).Trim());

        using var resume = CliChild.Run("train", "--resume", "--out", run);
        output.WriteLine(resume.Output);

        Assert.True(resume.ExitCode == ExitCodes.Success, resume.Error);
        Assert.Contains($"left locked by process {killedId}, which ended without letting go (killed?); taking the lock over",
            System.Text.RegularExpressions.Regex.Replace(resume.Output, @"\s+", " "));
        Assert.Contains("done: 3 epochs", resume.Output);
        Assert.False(File.Exists(Path.Combine(run, RunFolderLock.PidFileName)));
    }

    /// <summary>A run folder (or its samples folder) that cannot be written fails resume before any training, naming it.</summary>
    [TheoryUnlessRoot]
    [InlineData("")]
    [InlineData(RunFolderLayout.SamplesFolderName)]
    public void ResumingInAFolderThatCannotBeWritten_FailsBeforeAnyTraining(string subfolder)
    {
        string run = Path.Combine(_folder.Path, "run");
        using (var first = CliChild.Run(Train(run, seed: 5, epochs: 1)))
            Assert.True(first.ExitCode == ExitCodes.Success, first.Error);
        string readOnly = Path.Combine(run, subfolder);
        var mode = File.GetUnixFileMode(readOnly);
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            using var resume = CliChild.Run("train", "--resume", "--out", run, "--epochs", "2");
            output.WriteLine(resume.Error);
            Assert.Equal(ExitCodes.Failure, resume.ExitCode);
            Assert.Contains(readOnly.TrimEnd('/'), resume.Error);
            Assert.Contains("cannot", resume.Error);
            Assert.DoesNotContain("epoch 2", resume.Output);
        }
        finally
        {
            File.SetUnixFileMode(readOnly, mode);
        }
    }

    [TheoryUnlessRoot]
    [InlineData(UnixFileMode.UserWrite | UnixFileMode.UserExecute)]
    [InlineData(UnixFileMode.None)]
    public void ADataFolderThatCannotBeRead_IsNamedAsSuch_NotAsEmpty(UnixFileMode mode)
    {
        string data = Directory.CreateDirectory(Path.Combine(_folder.Path, "data")).FullName;
        File.SetUnixFileMode(data, mode);
        try
        {
            using var train = CliChild.Run("train", "--data", data, "--out", Path.Combine(_folder.Path, "run"), "--epochs", "1", "--threads", "1");
            Assert.Equal(ExitCodes.BadUsage, train.ExitCode);
            Assert.Contains($"--data {data}: cannot read the folder (permission denied)", train.Error);
            Assert.False(Directory.Exists(Path.Combine(_folder.Path, "run")));
        }
        finally
        {
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void WaitFor(Func<bool> condition, CliChild child)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (child.Wait(TimeSpan.Zero))
                Assert.Fail($"the run ended early (exit {child.ExitCode}): {child.Error}");
            Assert.True(DateTime.UtcNow < limit, "the run wrote no checkpoint in a minute");
            Thread.Sleep(20);
        }
    }

    /// <summary>stats.csv less the columns of time, which differ from run to run.</summary>
    internal static string[] StatsWithoutTimes(string run)
    {
        string[] rows = File.ReadAllLines(Path.Combine(run, RunFolderLayout.StatsFileName));
        string[] header = rows[0].Split(',');
        var timed = new HashSet<int> { Array.IndexOf(header, "seconds"), Array.IndexOf(header, "events_per_second") };
        Assert.DoesNotContain(-1, timed);
        return rows.Select(row => string.Join(",", row.Split(',').Where((_, i) => !timed.Contains(i)))).ToArray();
    }

    /// <summary>The bytes of two songs the run's G writes from seed 5.</summary>
    private byte[][] GeneratedMidi(string run)
    {
        string songs = Path.Combine(_folder.Path, "songs-" + Path.GetFileName(run));
        using var generate = CliChild.Run("generate", "--model", run, "--count", "2", "--seed", "5", "--out", songs);
        Assert.True(generate.ExitCode == ExitCodes.Success, generate.Error);
        return Directory.GetFiles(songs, "*.mid").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
    }
}
