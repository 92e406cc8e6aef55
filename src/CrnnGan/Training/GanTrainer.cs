using System.Diagnostics;
using CrnnGan.IO;
using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Training;

/// <summary>
/// A training run in a folder (see <see cref="RunFolderLayout"/>): pretraining (teacher-forced next-event MSE) for
/// the first epochs, then adversarial epochs; the baseline pretrains for all of them. Each epoch: the batches
/// (<see cref="GanStep"/>), the measurements (<see cref="EpochValidator"/>), the best G (<see cref="BestGeneratorKeeper"/>),
/// a checkpoint and a row of stats.csv. A NaN or infinite loss rolls the run back to its last checkpoint. The trainer
/// holds the folder's <see cref="RunFolderLock"/> from start to <see cref="Dispose"/>, so no other process trains there.
/// </summary>
public sealed class GanTrainer : IDisposable
{
    private readonly TrainingData _data;
    private readonly Device _device;
    private readonly RunFolderLayout _folder;
    private readonly RunFolderLock _lock;
    private readonly GanStep _step;
    private readonly WindowBatcher _batcher;
    private readonly EpochValidator _validator;
    private readonly BestGeneratorKeeper _keeper;
    private readonly List<EpochRecord> _history = [];
    private int _epoch;
    private int _batchInEpoch;
    private EpochAccumulator _partial = new();
    private double _learningRateScale = 1;
    private int _rollbacks;

    private GanTrainer(TrainingConfig config, TrainingData data, RunFolderLock runLock, CheckpointFile? checkpoint, CheckpointHeader? resumeFrom)
    {
        config.Validate();
        Config = config;
        _data = data;
        _lock = runLock;
        _folder = new RunFolderLayout(runLock.Folder);
        _device = GanStep.ResolveDevice(config.Run.Device);
        if (config.Run.Threads is int threads) torch.set_num_threads(threads);

        torch.manual_seed(config.Seed);
        _step = new GanStep(config, data, _device, fresh: resumeFrom is null);
        _batcher = WindowBatcher.For(config, data);
        _validator = new EpochValidator(config, data, _device, _folder);
        _keeper = new BestGeneratorKeeper(config, data, _folder);
        if (checkpoint is null || resumeFrom is null) return;
        LoadCheckpointWeights(checkpoint);
        Restore(resumeFrom);
    }

    public TrainingConfig Config { get; }
    public string RunFolder => _folder.Folder;
    public Generator Generator => _step.Generator;
    public Model.Discriminator Discriminator => _step.Discriminator;

    /// <summary>With <see cref="ModelSettings.SongVelocity"/> on a fresh run: the share of training windows at one
    /// velocity that G started with at one velocity (see <see cref="GeneratorSongVelocities.StartSongVelocities"/>).</summary>
    public double? OneVelocityShareAtStart => _step.OneVelocityShareAtStart;

    /// <summary>The G that epochs are sampled and measured from: the averaged one when the run keeps one, else the trained one.</summary>
    public Generator SampledGenerator => _step.Average ?? _step.Generator;

    public IReadOnlyList<EpochRecord> History => _history;
    public int EpochsDone => _epoch;
    public string CheckpointPath => _folder.Checkpoint;
    public string BestGeneratorPath => _folder.BestGenerator;

    /// <summary>The epoch record <see cref="BestGeneratorPath"/> holds G of, if any epoch was eligible yet.</summary>
    public EpochRecord? BestEpoch => _keeper.Best(_history);

    /// <summary>Where G of <paramref name="epoch"/> (1-based) is kept with <see cref="RunSettings.KeepEveryGenerator"/>.</summary>
    public string EpochGeneratorPath(int epoch) => _folder.EpochGenerator(epoch);

    /// <summary>Raised when a NaN or infinite loss or gradient made the run roll back, with what happened.</summary>
    public event Action<string>? RolledBack;

    /// <summary>Raised after each epoch, once its checkpoint and stats.csv row are written.</summary>
    public event Action<EpochRecord>? EpochCompleted;

    /// <summary>For tests: fills the batch of (epoch, batch in epoch) with NaN when it returns true.</summary>
    internal Func<int, int, bool>? InjectNaN { get; set; }

    /// <param name="runLock">The folder's lock, taken by the caller before it loaded the data (so that a second writer
    /// is refused at once); null takes it here. The trainer lets go of it when disposed.</param>
    public static GanTrainer Start(TrainingConfig config, TrainingData data, string runFolder, RunFolderLock? runLock = null)
    {
        TorchRuntime.EnsureLoaded();
        config = config with { Labels = data.Labels }; // a conditioned run's labels are stored with its settings
        var folder = new RunFolderLayout(runFolder);
        runLock = Locked(folder, runLock);
        try
        {
            if (File.Exists(folder.Checkpoint))
                throw new InvalidOperationException($"{runFolder} already holds a run; resume it or choose another run folder");
            folder.RequireWritable();
            AtomicFile.WriteAllText(folder.Config, SettingsJson.Write(config));
            var trainer = new GanTrainer(config, data, runLock, null, null);
            trainer.SaveCheckpoint(); // so a divergence in the first epoch has a good state to roll back to
            return trainer;
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>Continues the run in <paramref name="runFolder"/> exactly where its checkpoint left it.</summary>
    /// <param name="epochs">A new total number of epochs, to extend a finished run; null keeps the stored one.</param>
    /// <param name="learningRate">A new learning rate for G (D's keeps its factor), e.g. after a divergence; null keeps the stored one.</param>
    /// <param name="threads">CPU threads for this session of the run (they do not change its results' meaning); null keeps the stored setting.</param>
    /// <param name="losses">G's adversarial losses, changeable before the run's first adversarial epoch (<see cref="RunConfigFile.AdversarialLossKeys"/>); null keeps the stored ones.</param>
    public static GanTrainer Resume(string runFolder, Func<TrainingConfig, Data.FeatureScaling, TrainingData> loadData, int? epochs = null,
        double? learningRate = null, int? threads = null, TrainingMode? mode = null, int? pretrainEpochs = null, LossSettings? losses = null)
    {
        var folder = new RunFolderLayout(runFolder);
        var runLock = RunFolderLock.Acquire(folder.Folder);
        try
        {
            return Resume(runLock, TrainingCheckpoint.Read(folder.Checkpoint), loadData, epochs, learningRate, threads, mode, pretrainEpochs, losses);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Continues a run from <paramref name="checkpoint"/>, read whole already (see <see cref="TrainingCheckpoint.Read(string)"/>)
    /// by a caller holding the folder's lock. Before any data is loaded, checks that the folder can be written and that
    /// its config.json describes the checkpoint's run (see <see cref="RunConfigFile"/>). A baseline run may go on as
    /// C-RNN-GAN (<paramref name="mode"/> <see cref="TrainingMode.Gan"/>): its epochs so far were G's pretraining, and the
    /// adversarial epochs start after <paramref name="pretrainEpochs"/> (by default after those done).
    /// </summary>
    public static GanTrainer Resume(RunFolderLock runLock, CheckpointFile checkpoint, Func<TrainingConfig, Data.FeatureScaling, TrainingData> loadData,
        int? epochs = null, double? learningRate = null, int? threads = null, TrainingMode? mode = null, int? pretrainEpochs = null,
        LossSettings? losses = null)
    {
        TorchRuntime.EnsureLoaded();
        var folder = new RunFolderLayout(runLock.Folder);
        if (Path.GetFullPath(checkpoint.Path) != folder.Checkpoint)
            throw new ArgumentException($"{checkpoint.Path} is not the checkpoint of the locked run folder {folder.Folder}", nameof(checkpoint));
        try
        {
            folder.RequireWritable();
            RunConfigFile.Check(folder, checkpoint);
            var header = checkpoint.Header;
            var stored = header.Config;
            if (epochs is int e && e < header.Epoch)
                throw new SettingException("run.epochs", $"must be at least the {header.Epoch} epochs {folder.Folder} has already done, got {e}");
            if (losses is not null)
                foreach (var (key, _, _) in SettingOverrides.Differences(stored with { Losses = losses }, stored))
                {
                    if (!RunConfigFile.AdversarialLossKeys.Contains(key))
                        throw new SettingException(key, "cannot change when a run resumes");
                    if (RunConfigFile.AdversarialStarted(header))
                        throw new SettingException(key, $"can change only before the first adversarial epoch, and {folder.Folder} has trained adversarially: start a new run with another --out");
                }
            var config = stored with
            {
                Run = ResumedPhases(stored.Run, header.Epoch, mode, pretrainEpochs) with { Epochs = epochs ?? stored.Run.Epochs, Threads = threads ?? stored.Run.Threads },
                Optimisation = stored.Optimisation with { LearningRate = learningRate ?? stored.Optimisation.LearningRate },
                Losses = losses ?? stored.Losses,
            };
            if (learningRate is not null) header = header with { LearningRateScale = 1 };
            var data = loadData(config, TrainingCheckpoint.Scaling(header));
            if (data.Labels != stored.Labels)
                throw new InvalidDataException($"{config.DataPath}: its songs' labels ({Describe(data.Labels)}) are not those {folder.Folder} was trained on ({Describe(stored.Labels)})");
            var trainer = new GanTrainer(config, data, runLock, checkpoint, header);
            AtomicFile.WriteAllText(folder.Config, SettingsJson.Write(config)); // config.json says what the run does now
            return trainer;
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>The run's mode and pretraining epochs after a resume asking for <paramref name="mode"/> and
    /// <paramref name="pretrainEpochs"/>: the epochs done keep the phase they had.</summary>
    private static RunSettings ResumedPhases(RunSettings stored, int epochsDone, TrainingMode? mode, int? pretrainEpochs)
    {
        var wanted = mode ?? stored.Mode;
        if (wanted == stored.Mode && (pretrainEpochs is null || pretrainEpochs == stored.PretrainEpochs)) return stored;
        if (wanted == TrainingMode.Baseline && stored.Mode == TrainingMode.Baseline) return stored with { PretrainEpochs = pretrainEpochs ?? stored.PretrainEpochs };
        if (stored.Mode == TrainingMode.Gan && wanted == TrainingMode.Baseline)
            throw new SettingException("run.mode", "a C-RNN-GAN run cannot go on as the baseline: start a new run with another --out");
        // Every epoch of a baseline run was pretraining; a GAN run's first PretrainEpochs were.
        int pretrainedSoFar = stored.Mode == TrainingMode.Baseline ? epochsDone : Math.Min(stored.PretrainEpochs, epochsDone);
        int pretrain = pretrainEpochs ?? Math.Max(stored.Mode == TrainingMode.Baseline ? 0 : stored.PretrainEpochs, epochsDone);
        if (pretrain < pretrainedSoFar || (pretrain > pretrainedSoFar && pretrainedSoFar < epochsDone))
            throw new SettingException("run.pretrain_epochs", $"the run has done {epochsDone} epochs, {pretrainedSoFar} of them pretraining: " +
                                                              $"it can only pretrain for {(pretrainedSoFar < epochsDone ? $"exactly {pretrainedSoFar}" : $"{epochsDone} or more")}, got {pretrain}");
        return stored with { Mode = wanted, PretrainEpochs = pretrain };
    }

    private static string Describe(LabelSet? labels) => labels is null ? "none" : string.Join(", ", labels.Names.Zip(labels.Songs, (n, c) => $"{n} {c}"));

    private static RunFolderLock Locked(RunFolderLayout folder, RunFolderLock? runLock)
    {
        if (runLock is null) return RunFolderLock.Acquire(folder.Folder);
        if (runLock.Folder != folder.Folder)
            throw new ArgumentException($"the lock given is that of {runLock.Folder}, not of {folder.Folder}", nameof(runLock));
        return runLock;
    }

    public TrainingOutcome Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        while (_epoch < Config.Run.Epochs)
        {
            try
            {
                if (RunEpoch(progress, cancel) == TrainingOutcome.Interrupted) return TrainingOutcome.Interrupted;
            }
            catch (TrainingDivergedException e) when (_rollbacks < Config.Run.MaxRollbacks)
            {
                RollBack(e.Message);
            }
            catch (TrainingDivergedException e)
            {
                throw new TrainingDivergedException(
                    $"{e.Message}. Training diverged again after {_rollbacks} rollbacks to halved learning rates; stopped. " +
                    $"The last good state is {CheckpointPath} (epoch {_epoch}); resume it from there with a lower learning rate " +
                    "(optimisation.learning_rate)");
            }
        }
        return TrainingOutcome.Completed;
    }

    private TrainingOutcome RunEpoch(IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        var phase = Config.PhaseAt(_epoch);
        int length = Config.LengthAt(_epoch);
        double learningRate = Config.LearningRateAt(_epoch) * _learningRateScale;
        _step.SetLearningRates(learningRate);
        HeapTuning.ReleaseFreeMemory();
        var clock = Stopwatch.StartNew();
        double secondsBefore = _partial.Seconds;

        foreach (var batch in _batcher.Epoch(_epoch, length, _device, skip: _batchInEpoch))
        {
            if (cancel.IsCancellationRequested)
            {
                batch.Dispose();
                _partial.Seconds = secondsBefore + clock.Elapsed.TotalSeconds;
                SaveCheckpoint();
                return TrainingOutcome.Interrupted;
            }
            using (batch)
            {
                if (InjectNaN?.Invoke(_epoch, _batchInEpoch) == true) batch.fill_(float.NaN);
                _step.Position = $"epoch {_epoch + 1}, batch {_batchInEpoch + 1}";
                _step.Step(batch, phase, _partial);
            }
            _batchInEpoch++;
            HeapTuning.ReleaseFreeMemoryIfGrown();
            _partial.Events += (long)_batcher.BatchSize * length;
            progress?.Report(Progress(phase, length, secondsBefore + clock.Elapsed.TotalSeconds));
        }

        _partial.Seconds = secondsBefore + clock.Elapsed.TotalSeconds;
        HeapTuning.ReleaseFreeMemory();
        var record = _validator.Finish(_epoch, phase, length, learningRate, _partial, _step.Generator, _step.Discriminator, SampledGenerator);
        _keeper.Consider(record, _history, SampledGenerator);
        _history.Add(record);
        _partial = new EpochAccumulator();
        _batchInEpoch = 0;
        _epoch++;
        SaveCheckpoint();
        StatsCsv.Write(_folder.Stats, _history);
        EpochCompleted?.Invoke(record);
        return TrainingOutcome.Completed;
    }

    /// <summary>G's teacher-forced next-event MSE on the validation songs now.</summary>
    public double ValidationMse() => _validator.Validate(TrainingPhase.Pretraining, _step.Generator, _step.Discriminator).Mse;

    /// <summary>One training step on a batch (batch, length, features) of scaled real events.</summary>
    public void Step(Tensor batch, TrainingPhase phase) => _step.Step(batch, phase, _partial);

    /// <summary>Back to the last checkpoint, with the learning rates halved from then on.</summary>
    private void RollBack(string reason)
    {
        var checkpoint = TrainingCheckpoint.Read(CheckpointPath);
        LoadCheckpointWeights(checkpoint);
        Restore(checkpoint.Header);
        _rollbacks++;
        _learningRateScale /= 2;
        SaveCheckpoint();
        RolledBack?.Invoke($"{reason}; rolled back to the checkpoint of epoch {_epoch} (batch {_batchInEpoch}) " +
                           $"with learning rates x{_learningRateScale:G3} (rollback {_rollbacks} of at most {Config.Run.MaxRollbacks})");
    }

    private void LoadCheckpointWeights(CheckpointFile checkpoint) =>
        checkpoint.LoadWeights(_step.Generator, _step.Discriminator, _step.GeneratorOptimizer, _step.DiscriminatorOptimizer, _step.Average);

    private void Restore(CheckpointHeader header)
    {
        _epoch = header.Epoch;
        _batchInEpoch = header.BatchInEpoch;
        _partial = header.Partial;
        _history.Clear();
        _history.AddRange(header.History);
        _learningRateScale = header.LearningRateScale;
        _rollbacks = header.Rollbacks;
        using var state = TrainingCheckpoint.DecodeRngState(header.RngState);
        torch.random.set_rng_state(state);
    }

    private void SaveCheckpoint()
    {
        using var rng = torch.random.get_rng_state();
        var header = new CheckpointHeader
        {
            Config = Config,
            ScalingJson = _data.Scaling.ToJson(),
            Epoch = _epoch,
            BatchInEpoch = _batchInEpoch,
            Partial = _partial,
            History = _history,
            RngState = TrainingCheckpoint.EncodeRngState(rng),
            LearningRateScale = _learningRateScale,
            Rollbacks = _rollbacks,
            TempoBpm = _data.TempoBpm,
        };
        TrainingCheckpoint.Save(CheckpointPath, header, _step.Generator, _step.Discriminator, _step.GeneratorOptimizer,
            _step.DiscriminatorOptimizer, _step.Average);
    }

    private TrainingProgress Progress(TrainingPhase phase, int length, double seconds)
    {
        var p = _partial;
        double eventsPerSecond = seconds > 0 ? p.Events / seconds : 0;
        return new TrainingProgress(_epoch + 1, Config.Run.Epochs, phase, length, _batchInEpoch, _batcher.BatchesPerEpoch,
            p.Mean(p.GeneratorLoss, p.AdversarialBatches), p.Mean(p.DiscriminatorLoss, p.AdversarialBatches),
            p.Mean(p.MseLoss, p.Batches - p.AdversarialBatches), p.DiscriminatorFrozen, p.GeneratorFrozen, eventsPerSecond, seconds);
    }

    public void Dispose()
    {
        _step.Dispose();
        _lock.Dispose();
    }
}
