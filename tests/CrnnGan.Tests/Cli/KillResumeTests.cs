using System.Diagnostics;
using CrnnGan.Cli;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace CrnnGan.Tests.Cli;

/// <summary>
/// <c>crnngan train</c> as a child process, killed with SIGKILL while it writes a checkpoint and at random moments:
/// checkpoint.bin is always absent or whole, and <c>train --resume</c> finishes the run.
/// </summary>
[Collection(TorchCollection.Name)] // loads checkpoints in-process, which builds models from torch's RNG
public sealed class KillResumeTests(ITestOutputHelper output) : IDisposable
{
    // Enough epochs that the kills aimed at a checkpoint write, each of which may land just after its rename and so
    // use up an epoch, get several tries before the run reaches its end.
    private const int Epochs = 14;

    private static readonly string[] Settings =
    [
        // Preset crnngan, whose per-epoch pictures and 200 validation songs leave the kills time to land in an epoch.
        "--preset", "crnngan",
        "--hidden", "8", "--set", "model.layers=1", "--batch", "4", "--length", "12", "--epochs", $"{Epochs}", "--pretrain-epochs", "2",
        "--set", "data.synthetic_songs=24", "--threads", "1", "--seed", "4",
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void KilledDuringCheckpointWritesOrAnywhere_NeverLeavesACorruptCheckpoint_AndResumeFinishesTheRun()
    {
        string run = Path.Combine(_folder.Path, "run");
        string checkpoint = Path.Combine(run, TrainingCheckpoint.FileName);
        var random = new Random(2016);
        int killedMidWrite = 0, killedAfterCheckpoint = 0;
        bool lastKillMidWrite = false;

        // First a kill at the first checkpoint write (no checkpoint yet), then three at random moments after a
        // checkpoint, then kills at a checkpoint write until one lands inside it, so that the last kill leaves its
        // temporary file behind for the resumed run to cope with.
        for (int cycle = 0; cycle < 20 && (killedAfterCheckpoint < 3 || !lastKillMidWrite); cycle++)
        {
            int epochBefore = File.Exists(checkpoint) ? TrainingCheckpoint.ReadHeader(checkpoint).Epoch : 0;
            Assert.True(epochBefore < Epochs, "the run got to its end between kills, leaving no epoch to kill in");
            bool duringWrite = cycle == 0 || killedAfterCheckpoint >= 3;
            string[] earlierTemporaries = CheckpointTemporaries(run);
            using var child = CliChild.Start(TrainArguments(run));
            bool killed = duringWrite
                ? child.KillWhen(() => CheckpointTemporaries(run).Except(earlierTemporaries).Any())
                : child.KillWhen(NewCheckpointThenDelay(checkpoint, random.Next(0, 25)));

            // A temporary file of this child's left behind shows the kill came between its creation and the rename.
            int temporaries = CheckpointTemporaries(run).Except(earlierTemporaries).Count();
            string state = AssertWholeOrAbsent(checkpoint);
            output.WriteLine($"cycle {cycle}: {(duringWrite ? "kill at a checkpoint write" : "kill after a checkpoint")}, " +
                             $"{(killed ? "killed" : $"exited {child.ExitCode}")}; checkpoint {state}; {temporaries} leftover temporary file(s)");
            Assert.True(killed, $"the run ended (exit {child.ExitCode}) before the kill: {child.Error}");
            lastKillMidWrite = temporaries > 0;
            if (lastKillMidWrite) killedMidWrite++;
            if (!duringWrite) killedAfterCheckpoint++;
        }

        Assert.True(killedAfterCheckpoint == 3, $"{killedAfterCheckpoint} kills at random moments after a checkpoint, expected 3");
        Assert.True(lastKillMidWrite, $"no kill at a checkpoint write landed inside it ({killedMidWrite} inside in all)");
        // The last killed writer's temporary file is still there: the resumed run must not mind it, and clears it.
        Assert.NotEmpty(CheckpointTemporaries(run));
        using (var last = CliChild.Start(TrainArguments(run)))
        {
            Assert.True(last.Wait(TimeSpan.FromSeconds(120)), "the resumed run did not finish");
            Assert.True(last.ExitCode == ExitCodes.Success, $"exit {last.ExitCode}: {last.Error}");
            Assert.Contains($"done: {Epochs} epochs", last.Output);
        }
        Assert.Equal($"epoch {Epochs}", AssertWholeOrAbsent(checkpoint));
        string[] stats = File.ReadAllLines(Path.Combine(run, RunFolderLayout.StatsFileName));
        Assert.Equal(StatsCsv.Header, stats[0]);
        Assert.Equal(Enumerable.Range(1, Epochs).Select(e => $"{e}"), stats.Skip(1).Select(row => row.Split(',')[0]));
        Assert.Empty(Directory.GetFiles(run, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(Epochs, Directory.GetFiles(Path.Combine(run, RunFolderLayout.SamplesFolderName), "epoch-*.mid").Length);
    }

    /// <summary>A fresh run while there is no checkpoint yet (a kill may come before the first), else --resume.</summary>
    private static string[] TrainArguments(string run) =>
        File.Exists(Path.Combine(run, TrainingCheckpoint.FileName)) ? ["train", "--resume", "--out", run] : ["train", .. Settings, "--out", run];

    private static string[] CheckpointTemporaries(string run)
    {
        try
        {
            return Directory.GetFiles(run, $".{TrainingCheckpoint.FileName}.*.tmp");
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>True once a checkpoint newer than the one at the start has been written and <paramref name="delayMs"/> have passed.</summary>
    private static Func<bool> NewCheckpointThenDelay(string checkpoint, int delayMs)
    {
        DateTime before = File.Exists(checkpoint) ? File.GetLastWriteTimeUtc(checkpoint) : DateTime.MinValue;
        Stopwatch? since = null;
        return () =>
        {
            if (since is null && File.Exists(checkpoint) && File.GetLastWriteTimeUtc(checkpoint) != before)
                since = Stopwatch.StartNew();
            return since is not null && since.ElapsedMilliseconds >= delayMs;
        };
    }

    /// <summary>"absent", or "epoch N" after reading the header and loading every weight and optimiser state.</summary>
    private static string AssertWholeOrAbsent(string checkpoint)
    {
        if (!File.Exists(checkpoint))
            return "absent";
        TorchRuntime.EnsureLoaded();
        var header = TrainingCheckpoint.ReadHeader(checkpoint);
        var config = header.Config;
        using var generator = new CrnnGan.Model.Generator(config.Networks);
        using var discriminator = new Discriminator(config.Networks);
        using var generatorOptimizer = GanStep.CreateOptimizer(config, generator.parameters(), config.Optimisation.LearningRate);
        using var discriminatorOptimizer = GanStep.CreateOptimizer(config, discriminator.parameters(), config.Optimisation.LearningRate);
        TrainingCheckpoint.LoadWeights(checkpoint, generator, discriminator, generatorOptimizer, discriminatorOptimizer);
        Assert.InRange(header.Epoch, 0, Epochs);
        Assert.Equal(header.Epoch, header.History.Count);
        return $"epoch {header.Epoch}";
    }
}
