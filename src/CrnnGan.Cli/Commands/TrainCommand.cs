using System.CommandLine;
using System.CommandLine.Parsing;
using CrnnGan.Cli.Output;
using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Reports;
using CrnnGan.Training;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary>
/// <c>crnngan train</c>: trains C-RNN-GAN (or the baseline) on a folder of MIDI files or the built-in synthetic corpus.
/// The settings come from a preset or settings file (<c>--preset</c>), then the first-class flags, then <c>--set key=value</c>.
/// </summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var flags = new TrainFlags();
        var command = new Command("train", "Train C-RNN-GAN on MIDI files (or the built-in synthetic corpus)");
        foreach (var option in flags.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var given = flags.Read(parse);
            string folder = given.Out ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss"));
            try
            {
                return given.Resume
                    ? Resume(context, folder, given)
                    : Start(context, WithFullDataPath(Presets.Resolve(given.Preset, given.Assignments)), folder, given.TensorBoard);
            }
            catch (SettingException e) when (given.FlagFor(e.Key) is string flag)
            {
                throw new UsageException($"{flag} {e.Problem}");
            }
        });
        return command;
    }

    private static int Start(CliContext context, TrainingConfig config, string folder, string? tensorBoardFolder)
    {
        RequireDataFolder(config.Data.Path);
        TrainingCorpus.RequireLabelsFile(config.Data);
        if (config.Run.Device != "cpu")
        {
            CrnnGan.Runtime.TorchRuntime.EnsureLoaded();
            GanStep.ResolveDevice(config.Run.Device); // fails on this CPU-only build before the run folder is made
        }
        OutputPaths.RequireCreatableFolder(folder, "--out");
        using var runLock = Lock(context, folder);
        if (File.Exists(Path.Combine(folder, TrainingCheckpoint.FileName)))
            throw new UsageException($"{folder} already holds a run: add --resume to continue it, or choose another --out");

        var data = LoadData(context, config, scaling: null);
        using var trainer = GanTrainer.Start(config, data, folder, runLock);
        if (trainer.OneVelocityShareAtStart is double share)
            context.Console.WriteLine($"song velocities: {share:P1} of the training windows of " +
                $"{config.Length} events are at one velocity; G starts with that share of its songs at one velocity" +
                (config.Model.FixedVelocitySpread ? " and keeps it" : ""));
        WriteReference(context, trainer, data);
        return Train(context, trainer, tensorBoardFolder);
    }

    /// <summary>The settings with their MIDI folder and labels CSV as full paths, so that config.json names them from anywhere.</summary>
    private static TrainingConfig WithFullDataPath(TrainingConfig config) => config with
    {
        Data = config.Data with
        {
            Path = config.Data.Path is string path ? Path.GetFullPath(path) : null,
            LabelsCsv = config.Data.LabelsCsv is { Length: > 0 } csv ? Path.GetFullPath(csv) : config.Data.LabelsCsv,
        },
    };

    /// <summary>Takes the run folder's lock before anything else is done there; a second writer is refused at once.</summary>
    private static RunFolderLock Lock(CliContext context, string folder)
    {
        var runLock = RunFolderLock.Acquire(folder);
        if (runLock.TakenOverFrom is int pid)
            context.Console.WriteLine($"note: {folder} was left locked by process {pid}, which ended without letting go (killed?); taking the lock over");
        return runLock;
    }

    /// <summary>The MIDI folder exists and can be read, checked before any training (an unreadable one would read as empty).</summary>
    private static void RequireDataFolder(string? path)
    {
        if (path is null)
            return;
        if (!Directory.Exists(path))
            throw new UsageException(File.Exists(path)
                ? $"--data {path}: is a file; --data takes a folder of MIDI files"
                : $"--data {path}: no such folder");
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
            entries.MoveNext();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--data {path}: cannot read the folder ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)})");
        }
    }

    /// <summary>
    /// Continues the run in <paramref name="folder"/>. The settings given (a preset or settings file, flags, --set) must
    /// match the run's own, except the epochs, G's learning rate and the threads, which a resumed run may change, and
    /// the mode and pretraining epochs, with which a baseline run goes on adversarially (see <see cref="GanTrainer.Resume(RunFolderLock, CheckpointFile, Func{TrainingConfig, Data.FeatureScaling, TrainingData}, int?, double?, int?, TrainingMode?, int?, LossSettings?)"/>); and G's adversarial losses before the first adversarial epoch.
    /// </summary>
    private static int Resume(CliContext context, string folder, TrainFlags.Given given)
    {
        var layout = new RunFolderLayout(folder);
        if (!File.Exists(layout.Checkpoint))
            throw new UsageException($"--resume: {folder} holds no checkpoint ({TrainingCheckpoint.FileName})");
        using var runLock = Lock(context, folder);
        layout.RequireWritable();
        var checkpoint = TrainingCheckpoint.Read(layout.Checkpoint);
        if (RunConfigFile.Check(layout, checkpoint) is string note)
            context.Console.WriteLine($"note: {note}");
        var stored = checkpoint.Header.Config;
        var asked = WithFullDataPath(SettingOverrides.Apply(given.Preset is null ? stored : Presets.Load(given.Preset), given.Assignments));
        asked.Validate();
        // The mode and the pretraining epochs change only when asked for by name, never because a preset differs.
        // So do G's adversarial losses, before the run's first adversarial epoch (GanTrainer.Resume refuses them after).
        bool Changeable(string key) => (RunConfigFile.ResumableKeys.Contains(key) && (key is not ("run.mode" or "run.pretrain_epochs") || given.Sets(key)))
                                       || (RunConfigFile.AdversarialLossKeys.Contains(key) && given.Sets(key));
        foreach (var (key, wanted, kept) in SettingOverrides.Differences(asked, stored).Where(d => !Changeable(d.Key)))
        {
            string name = given.FlagFor(key) ?? key;
            throw new UsageException($"--resume keeps the run's settings, but {name} asks for {wanted} where the run has {kept}: " +
                                     $"leave {name} out, or start a new run with another --out");
        }
        RequireDataFolder(stored.Data.Path);
        TrainingCorpus.RequireLabelsFile(stored.Data);

        TrainingData? data = null;
        using var trainer = GanTrainer.Resume(runLock, checkpoint, (config, scaling) => data = LoadData(context, config, scaling),
            asked.Run.Epochs != stored.Run.Epochs ? asked.Run.Epochs : null,
            asked.Optimisation.LearningRate != stored.Optimisation.LearningRate ? asked.Optimisation.LearningRate : null,
            asked.Run.Threads != stored.Run.Threads ? asked.Run.Threads : null,
            given.Sets("run.mode") && asked.Run.Mode != stored.Run.Mode ? asked.Run.Mode : null,
            given.Sets("run.pretrain_epochs") && asked.Run.PretrainEpochs != stored.Run.PretrainEpochs ? asked.Run.PretrainEpochs : null,
            asked.Losses != stored.Losses ? asked.Losses : null);
        context.Console.WriteLine($"resuming {folder} after epoch {trainer.EpochsDone} of {trainer.Config.Run.Epochs}");
        if (data is not null && !File.Exists(Path.Combine(trainer.RunFolder, ReferenceStatistics.FileName)))
            WriteReference(context, trainer, data);
        return Train(context, trainer, given.TensorBoard);
    }

    /// <summary>
    /// The statistics of the training songs cut into windows as long as G's samples, which figure3.png, plot and
    /// compare draw as the real-music lines. Computed once per run, since the training songs never change.
    /// </summary>
    private static void WriteReference(CliContext context, GanTrainer trainer, TrainingData data)
    {
        var reference = TrainingReference.Compute(data, trainer.Config.Length);
        string path = Path.Combine(trainer.RunFolder, ReferenceStatistics.FileName);
        reference.Save(path);
        context.Console.WriteLine($"real-music reference: {Counted.Of(reference.WindowsWithNotes, "window")} of {reference.EventsPerWindow} events " +
                                  $"from {Counted.Of(reference.Songs, "training song")} in {path}");
    }

    /// <summary>The run's songs (see <see cref="TrainingCorpus"/>), with a progress bar while a MIDI folder is read.</summary>
    public static TrainingData LoadData(CliContext context, TrainingConfig config, FeatureScaling? scaling)
    {
        RequireDataFolder(config.Data.Path);
        var data = TrainingCorpus.Load(config, scaling, context.Console.WriteLine, (path, options) => ReadCorpus(context, path, options));
        if (config.Data.Path is null)
            context.Console.WriteLine("real music: --data DIR");
        return data;
    }

    private static Corpus ReadCorpus(CliContext context, string path, CorpusOptions options)
    {
        if (!context.Console.Profile.Capabilities.Interactive)
            return Corpus.Load(path, options);
        int total = MidiFileFinder.Find(path).Count;
        return context.Console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask($"reading {total} MIDI files", maxValue: total);
                return Corpus.Load(path, options, new CallbackProgress<int>(_ => task.Increment(1)));
            });
    }

    private static int Train(CliContext context, GanTrainer trainer, string? tensorBoardFolder)
    {
        var console = context.Console;
        console.WriteLine($"run folder: {trainer.RunFolder}");
        console.WriteLine(TrainingSummary.Describe(trainer.Config));

        // Reading, encoding and measuring the corpus leaves hundreds of MiB of garbage in the managed heap (about 350
        // MiB on the classical corpus); hand it back before the run's long life so it does not count towards its memory.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var cancel = new CtrlC();
        trainer.RolledBack += message => console.WriteLine($"warning: {message}");
        using var reports = new EpochReports(console, trainer, tensorBoardFolder);
        try
        {
            var view = new TrainingView(console, trainer);
            var outcome = view.Run(cancel.Token);
            if (outcome == TrainingOutcome.Interrupted)
            {
                console.WriteLine($"interrupted: checkpoint saved in {trainer.RunFolder}; continue with: {context.Command($"train --resume --out {trainer.RunFolder}")}");
                return ExitCodes.Interrupted;
            }
            console.WriteLine($"done: {trainer.EpochsDone} epochs; stats in {Path.Combine(trainer.RunFolder, RunFolderLayout.StatsFileName)}, " +
                              $"samples in {Path.Combine(trainer.RunFolder, RunFolderLayout.SamplesFolderName)}; " +
                              $"pictures in {Path.Combine(trainer.RunFolder, RunPlots.Figure3FileName)} and {RunPlots.LossesFileName}; " +
                              $"make music with: {context.Command($"generate --model {trainer.RunFolder}")}" +
                              (trainer.BestEpoch is null ? "" : " (its best epoch; --last for the last)"));
            if (trainer.BestEpoch is { } best)
                console.WriteLine($"best epoch by validation overlap: {best.Epoch} (mean {best.ValidationOverlap:F3}, lowest {best.WorstValidationOverlap:F3}; " +
                                  $"kept by the {(trainer.Config.Run.KeepBy == BestEpochMeasure.Worst ? "lowest" : "mean")}) in {trainer.BestGeneratorPath}");
            if (trainer.Config.Data.Path is null && trainer.BestEpoch is not null)
                console.WriteLine($"measure its songs against the synthetic corpus: {context.Command("stats --demo --write-demo synthetic")}, " +
                                  $"then {context.Command($"evaluate {trainer.BestGeneratorPath} --real synthetic")}; " +
                                  $"train on your own music with: {context.Command("train --data DIR")}");
            return ExitCodes.Success;
        }
        catch (TrainingDivergedException e)
        {
            context.WriteError(e.Message);
            return ExitCodes.Failure;
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            context.WriteError(TorchFailure(e.Message, trainer.RunFolder, trainer.EpochsDone, context.Command($"train --resume --out {trainer.RunFolder}")));
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// What to tell a user when libtorch fails inside training: its own first line (e.g. "Expected false to be true,
    /// but got false."), that the last checkpoint is intact, and how to go on. Seen about once in twenty demo runs with
    /// another training sharing the cores, never again on resuming from the same checkpoint.
    /// </summary>
    public static string TorchFailure(string torchMessage, string runFolder, int epochsDone, string resume)
    {
        string first = torchMessage.Split('\n', 2)[0].Trim();
        if (epochsDone == 0)
            return $"training stopped: libtorch failed inside a step of the first epoch (\"{first}\"); the run in {runFolder} starts again from its beginning with: {resume}";
        return $"training stopped: libtorch failed inside a step of epoch {epochsDone + 1} (\"{first}\"); " +
               $"the checkpoint of epoch {epochsDone} in {runFolder} is intact, continue with: {resume}";
    }
}
