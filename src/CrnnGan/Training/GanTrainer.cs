using System.Diagnostics;
using CrnnGan.Evaluation;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Model;
using CrnnGan.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Training;

/// <summary>What the trainer reports after every batch.</summary>
public sealed record TrainingProgress(
    int Epoch, int Epochs, TrainingPhase Phase, int Length, int Batch, int Batches,
    double GeneratorLoss, double DiscriminatorLoss, double MseLoss, int DiscriminatorFrozen, int GeneratorFrozen,
    double EventsPerSecond, TimeSpan Remaining);

public enum TrainingOutcome { Completed, Interrupted }

public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>
/// A training run in a folder: config.json, stats.csv, samples/epoch-NNN.mid and checkpoint.bin.
/// Pretraining (teacher-forced next-event MSE) for the first epochs, then adversarial epochs; the baseline
/// pretrains for all of them.
/// </summary>
public sealed class GanTrainer : IDisposable
{
    public const string StatsFileName = "stats.csv";
    public const string ConfigFileName = "config.json";
    public const string SamplesFolderName = "samples";
    /// <summary>G of the epoch whose songs measured closest to the validation songs (by <see cref="TrainingConfig.KeepBy"/>).</summary>
    public const string BestGeneratorFileName = "best-generator.bin";
    public const string GeneratorsFolderName = "generators";

    private readonly TrainingData _data;
    private readonly Device _device;
    private readonly FreezingRule _freezing;
    private readonly WindowBatcher _batcher;
    private readonly OptimizerHelper _gOptimizer;
    private readonly OptimizerHelper _dOptimizer;
    private readonly List<EpochRecord> _history;
    private int _epoch;
    private int _batchInEpoch;
    private EpochAccumulator _partial;
    private double _learningRateScale = 1;
    private int _rollbacks;
    private IReadOnlyList<SongStatistics>? _validationStatistics;
    private readonly Generator? _average;
    private readonly PitchClassHead? _pitchClassHead;
    private readonly SideThread? _sideThread;
    private readonly FrozenDiscriminator _discriminatorForG;

    private GanTrainer(TrainingConfig config, TrainingData data, string runFolder, CheckpointHeader? resumeFrom)
    {
        config.Validate();
        Config = config;
        _data = data;
        RunFolder = Path.GetFullPath(runFolder);
        _device = ResolveDevice(config.Device);
        if (config.Threads is int threads) torch.set_num_threads(threads);

        torch.manual_seed(config.Seed);
        Generator = new Generator(config.Model);
        if (config.SongVelocity && resumeFrom is null)
        {
            OneVelocityShareAtStart = data.ShareOfWindowsAtOneVelocity(config.Length);
            Generator.StartSongVelocities(OneVelocityShareAtStart.Value);
        }
        _pitchClassHead = config.PitchClassHead ? new PitchClassHead(config.TonesPerCell, data.Scaling) : null;
        Discriminator = new Discriminator(config.Model,
            config.DiscriminatorPitchClasses ? new PitchClassFeatures(config.TonesPerCell, data.Scaling) : null,
            config.DiscriminatorLogLengths ? data.Scaling.Length : null, data.Scaling);
        Generator.to(_device);
        Discriminator.to(_device);
        if (config.AverageDecay > 0)
        {
            _average = new Generator(config.Model);
            _average.to(_device);
            _average.load_state_dict(Generator.state_dict());
            _average.eval();
        }
        _gOptimizer = CreateOptimizer(config, Generator.parameters(), config.LearningRate);
        _dOptimizer = CreateOptimizer(config, Discriminator.parameters(), config.LearningRate * config.DiscriminatorLearningRateFactor);
        _freezing = new FreezingRule(config.Freezing, config.FreezeRatio);
        // CRNNGAN_SIDE_THREAD=0 keeps every pass on one thread (for benchmarks of the difference).
        _sideThread = _device.type == DeviceType.CPU && Environment.GetEnvironmentVariable("CRNNGAN_SIDE_THREAD") != "0"
            ? new SideThread("crnngan D") : null;
        _discriminatorForG = new FrozenDiscriminator(Discriminator);
        _batcher = new WindowBatcher(data.Train, data.FeatureCount, config.Batch, config.Seed);

        _history = [];
        _partial = new EpochAccumulator();
        if (resumeFrom is null) return;
        TrainingCheckpoint.LoadWeights(CheckpointPath, Generator, Discriminator, _gOptimizer, _dOptimizer, _average);
        Restore(resumeFrom);
    }

    public TrainingConfig Config { get; }
    public string RunFolder { get; }
    public Generator Generator { get; }
    public Discriminator Discriminator { get; }

    /// <summary>With <see cref="TrainingConfig.SongVelocity"/> on a fresh run: the share of training windows at one
    /// velocity that G started with at one velocity (see <see cref="Generator.StartSongVelocities"/>).</summary>
    public double? OneVelocityShareAtStart { get; }

    /// <summary>The G that epochs are sampled and measured from: the averaged one when the run keeps one (see
    /// <see cref="TrainingConfig.AverageDecay"/>), else the trained one.</summary>
    public Generator SampledGenerator => _average ?? Generator;

    public IReadOnlyList<EpochRecord> History => _history;
    public int EpochsDone => _epoch;
    public string CheckpointPath => Path.Combine(RunFolder, TrainingCheckpoint.FileName);

    /// <summary>Raised when a NaN or infinite loss or gradient made the run roll back, with what happened.</summary>
    public event Action<string>? RolledBack;

    /// <summary>For tests: fills the batch of (epoch, batch in epoch) with NaN when it returns true.</summary>
    internal Func<int, int, bool>? InjectNaN { get; set; }

    /// <summary>Raised after each epoch, once its checkpoint and stats.csv row are written.</summary>
    public event Action<EpochRecord>? EpochCompleted;

    public string BestGeneratorPath => Path.Combine(RunFolder, BestGeneratorFileName);

    /// <summary>The epoch record <see cref="BestGeneratorPath"/> holds G of, if any epoch was eligible yet.</summary>
    public EpochRecord? BestEpoch => _history.Where(IsBestCandidate).MaxBy(Config.BestEpochScore);

    public static GanTrainer Start(TrainingConfig config, TrainingData data, string runFolder)
    {
        TorchRuntime.EnsureLoaded();
        if (File.Exists(Path.Combine(runFolder, TrainingCheckpoint.FileName)))
            throw new InvalidOperationException($"{runFolder} already holds a run; use --resume to continue it or choose another --out");
        Directory.CreateDirectory(runFolder);
        AtomicFile.WriteAllText(Path.Combine(runFolder, ConfigFileName),
            System.Text.Json.JsonSerializer.Serialize(config, TrainingCheckpoint.JsonOptions));
        var trainer = new GanTrainer(config, data, runFolder, null);
        trainer.SaveCheckpoint(); // so a divergence in the first epoch has a good state to roll back to
        return trainer;
    }

    /// <summary>Continues the run in <paramref name="runFolder"/> exactly where its checkpoint left it.</summary>
    /// <param name="epochs">A new total number of epochs, to extend a finished run; null keeps the stored one.</param>
    /// <param name="learningRate">A new learning rate for G (D's keeps its factor), e.g. after a divergence; null keeps the stored one.</param>
    /// <param name="threads">CPU threads for this session of the run (they do not change its results' meaning); null keeps the stored setting.</param>
    public static GanTrainer Resume(string runFolder, Func<TrainingConfig, Data.FeatureScaling, TrainingData> loadData, int? epochs = null,
        double? learningRate = null, int? threads = null)
    {
        TorchRuntime.EnsureLoaded();
        string path = Path.Combine(runFolder, TrainingCheckpoint.FileName);
        var header = TrainingCheckpoint.ReadHeader(path);
        if (epochs is int e && e < header.Epoch)
            throw new ArgumentException($"--epochs {e} is fewer than the {header.Epoch} epochs {runFolder} has already done");
        var config = header.Config with
        {
            Epochs = epochs ?? header.Config.Epochs,
            LearningRate = learningRate ?? header.Config.LearningRate,
            Threads = threads ?? header.Config.Threads,
        };
        if (learningRate is not null) header = header with { LearningRateScale = 1 };
        var data = loadData(config, TrainingCheckpoint.Scaling(header));
        return new GanTrainer(config, data, runFolder, header);
    }

    public TrainingOutcome Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        while (_epoch < Config.Epochs)
        {
            try
            {
                if (RunEpoch(progress, cancel) == TrainingOutcome.Interrupted) return TrainingOutcome.Interrupted;
            }
            catch (TrainingDivergedException e) when (_rollbacks < Config.MaxRollbacks)
            {
                RollBack(e.Message);
            }
            catch (TrainingDivergedException e)
            {
                throw new TrainingDivergedException(
                    $"{e.Message}. Training diverged again after {_rollbacks} rollbacks to halved learning rates; stopped. " +
                    $"The last good state is {CheckpointPath} (epoch {_epoch}); continue it with crnngan train --resume --out {RunFolder} " +
                    "and a lower --learning-rate");
            }
        }
        return TrainingOutcome.Completed;
    }

    private TrainingOutcome RunEpoch(IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        var phase = Config.PhaseAt(_epoch);
        int length = Config.LengthAt(_epoch);
        double learningRate = Config.LearningRateAt(_epoch) * _learningRateScale;
        SetLearningRates(learningRate);
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
                Step(batch, phase);
            }
            _batchInEpoch++;
            _partial.Events += (long)_batcher.BatchSize * length;
            progress?.Report(Progress(phase, length, secondsBefore + clock.Elapsed.TotalSeconds));
        }

        _partial.Seconds = secondsBefore + clock.Elapsed.TotalSeconds;
        HeapTuning.ReleaseFreeMemory();
        var record = FinishEpoch(phase, length, learningRate);
        if (IsBestCandidate(record))
        {
            if (BestEpoch is not { } best || Config.BestEpochScore(record) > Config.BestEpochScore(best))
                SaveGenerator(BestGeneratorPath, record);
            if (Config.KeepEveryGenerator)
                SaveGenerator(EpochGeneratorPath(record.Epoch), record);
        }
        _history.Add(record);
        _partial = new EpochAccumulator();
        _batchInEpoch = 0;
        _epoch++;
        SaveCheckpoint();
        StatsCsv.Write(Path.Combine(RunFolder, StatsFileName), _history);
        EpochCompleted?.Invoke(_history[^1]);
        return TrainingOutcome.Completed;
    }

    /// <summary>
    /// Epochs of the run's final kind (adversarial, or any for the baseline) compete for the best generator: the
    /// statistics swing from epoch to epoch, so the last epoch is rarely the one that measures most like real music.
    /// </summary>
    private bool IsBestCandidate(EpochRecord record) =>
        double.IsFinite(Config.BestEpochScore(record)) && record.Phase == Config.PhaseAt(Math.Max(Config.Epochs, record.Epoch) - 1);

    /// <summary>Where G of <paramref name="epoch"/> (1-based) is kept with <see cref="TrainingConfig.KeepEveryGenerator"/>.</summary>
    public string EpochGeneratorPath(int epoch) => EpochGeneratorPath(RunFolder, epoch);

    /// <summary>Where G of <paramref name="epoch"/> of the run in <paramref name="runFolder"/> is kept with <see cref="TrainingConfig.KeepEveryGenerator"/>.</summary>
    public static string EpochGeneratorPath(string runFolder, int epoch) => Path.Combine(runFolder, GeneratorsFolderName, $"epoch-{epoch:D3}.bin");

    private void SaveGenerator(string path, EpochRecord record)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        GeneratorFile.Save(path, SampledGenerator, new GeneratorFileHeader
        {
            Config = Config,
            ScalingJson = _data.Scaling.ToJson(),
            EpochsTrained = record.Epoch,
            Provenance = $"{RunFolder}, epoch {record.Epoch}: validation overlap {record.ValidationOverlap:F3} (mean of the six paper statistics; " +
                         $"lowest {record.WorstValidationOverlap:F3}; kept by the {(Config.KeepBy == BestEpochMeasure.Worst ? "lowest" : "mean")}, " +
                         $"{record.SampledSongs} songs against segments of the validation songs)",
        });
    }

    /// <summary>Back to the last checkpoint, with the learning rates halved from then on.</summary>
    private void RollBack(string reason)
    {
        var header = TrainingCheckpoint.LoadWeights(CheckpointPath, Generator, Discriminator, _gOptimizer, _dOptimizer, _average);
        Restore(header);
        _rollbacks++;
        _learningRateScale /= 2;
        SaveCheckpoint();
        RolledBack?.Invoke($"{reason}; rolled back to the checkpoint of epoch {_epoch} (batch {_batchInEpoch}) " +
                           $"with learning rates x{_learningRateScale:G3} (rollback {_rollbacks} of at most {Config.MaxRollbacks})");
    }

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

    /// <summary>One training step on a batch (batch, length, features) of scaled real events.</summary>
    public void Step(Tensor batch, TrainingPhase phase)
    {
        using var withPitchClasses = _pitchClassHead?.WithPitchClasses(batch);
        batch = withPitchClasses ?? batch;
        if (phase == TrainingPhase.Pretraining) PretrainStep(batch);
        else AdversarialStep(batch, generatorMayTrain: phase == TrainingPhase.Adversarial);
    }

    private void PretrainStep(Tensor real)
    {
        using var scope = NewDisposeScope();
        Generator.train();
        _gOptimizer.zero_grad();
        var mse = GanLosses.NextEvent(Generator.TeacherForced(real), real);
        double mseValue = CheckFinite(mse, "next-event MSE");
        (mse + GanLosses.L2(Generator.RegularizedParameters, Config.L2Scale)).backward();
        ClipGradients(Generator, "G");
        _gOptimizer.step();
        UpdateAverage();
        _partial.MseLoss += mseValue;
        _partial.Batches++;
    }

    /// <summary>
    /// D and G updates from the same generated songs and the same weights (both see the old weights, as in the paper's
    /// code). G's songs come without autograd's graph: D's verdict on them is differentiated back to the songs alone
    /// (D's weights need no gradient from G's loss; G's pass goes through a copy of D, <see cref="FrozenDiscriminator"/>),
    /// and from there <see cref="GeneratorTape"/> computes G's gradients.
    /// With two or more threads the step runs on two, one share of the cores each (<see cref="SideThread"/>): D's pass
    /// over the real songs beside G's sampling, D's pass over the generated songs beside G's pass through the copy, and
    /// D's backward pass beside G's. Every random number is drawn on this thread before the work it feeds, except D's
    /// own dropout, drawn by D's passes on the other thread while this one draws none, so the step is the same whatever
    /// the threads' timing, and the same (up to rounding) on one thread, where it all runs in this order.
    /// While D is pretrained (<paramref name="generatorMayTrain"/> false) only D learns and nothing is frozen.
    /// </summary>
    private void AdversarialStep(Tensor real, bool generatorMayTrain)
    {
        using var scope = NewDisposeScope();
        Generator.train();
        Discriminator.train();
        long batch = real.shape[0], length = real.shape[1];
        int threads = torch.get_num_threads();
        using var side = _sideThread is not null && threads >= 2
            ? _sideThread.Session(threads / 2, threads - threads / 2)
            : SideSession.Inline();

        var randoms = Generator.DrawRandoms(batch, length);
        var realInput = WithInstanceNoise(real);
        DiscriminatorOutput onReal = null!;
        var realPass = side.Start(() => onReal = Discriminator.call(realInput));
        var (fake, tape) = Generator.SampleWithTape(randoms);
        fake.requires_grad_(true);
        var judged = AsWritten(Generator.WriteVelocities(fake, randoms.Noise));
        SideSession.Wait(realPass);

        var fakeInput = WithInstanceNoise(judged.detach());
        var generatorInput = WithInstanceNoise(judged);
        _discriminatorForG.Refresh();
        var masks = _discriminatorForG.DrawMasks(batch, length);
        Tensor dLoss = null!;
        var fakePass = side.Start(() =>
            dLoss = GanLosses.Discriminator(onReal.Decision, Discriminator.call(fakeInput).Decision, Config.RealLabel));
        var onFake = _discriminatorForG.Judge(generatorInput, masks);
        SideSession.Wait(fakePass);

        // D's real songs' features are what G's feature matching aims at (D is not run on the real songs twice).
        var realFeatures = onReal.Features.detach();
        var gAdversarial = GanLosses.Generator(onFake.Decision, GeneratorLossForm.NonSaturating);
        var gLoss = Config.FeatureMatching
            ? Config.FeatureMatchingOfMeans
                ? FeatureMatchingOfMeans(realFeatures, onFake.Features, real, judged)
                : GanLosses.FeatureMatching(realFeatures, onFake.Features)
            : Config.GeneratorLoss == GeneratorLossForm.NonSaturating ? gAdversarial : GanLosses.Generator(onFake.Decision, Config.GeneratorLoss);

        double dValue = CheckFinite(dLoss, "D loss");
        double gValue = CheckFinite(gAdversarial, "G loss");
        double fmValue = Config.FeatureMatching ? CheckFinite(gLoss, "feature-matching loss") : double.NaN;
        var (trainD, trainG) = generatorMayTrain ? _freezing.Decide(dValue, gValue) : (true, false);

        var dBackward = trainD
            ? side.Start(() =>
            {
                _dOptimizer.zero_grad();
                (Config.L2Scale > 0 ? dLoss + GanLosses.L2(Discriminator.parameters(), Config.L2Scale) : dLoss).backward();
                ClipGradients(Discriminator, "D");
            })
            : Task.CompletedTask;
        if (trainG)
        {
            _gOptimizer.zero_grad();
            gLoss.backward(); // G's own weights get gradients here only through WriteVelocities
            tape.Backward(fake.grad!);
            if (Config.L2Scale > 0) GanLosses.L2(Generator.RegularizedParameters, Config.L2Scale).backward();
            ClipGradients(Generator, "G");
            _gOptimizer.step();
            UpdateAverage();
        }
        SideSession.Wait(dBackward);
        if (trainD) _dOptimizer.step();

        _partial.DiscriminatorLoss += dValue;
        _partial.GeneratorLoss += gValue;
        if (Config.FeatureMatching) _partial.FeatureMatchingLoss += fmValue;
        _partial.DiscriminatorFrozen += trainD ? 0 : 1;
        _partial.GeneratorFrozen += trainG || !generatorMayTrain ? 0 : 1;
        _partial.AdversarialBatches++;
        _partial.Batches++;
    }

    /// <summary>Feature matching of means, with the spread and pitch-class terms the config asks for.</summary>
    private Tensor FeatureMatchingOfMeans(Tensor realFeatures, Tensor fakeFeatures, Tensor real, Tensor fake)
    {
        var loss = GanLosses.FeatureMatchingOfMeans(realFeatures, fakeFeatures);
        if (Config.FeatureSpreadWeight > 0)
            loss += Config.FeatureSpreadWeight * GanLosses.FeatureSpreadMatching(realFeatures, fakeFeatures);
        if (Config.PitchClassProfileWeight > 0)
            loss += Config.PitchClassProfileWeight * PitchClassProfile.Matching(real, fake, Config.TonesPerCell, _data.Scaling);
        return loss;
    }

    /// <summary>The averaged G moves a (1 - decay) share of the way to the trained G after each of its steps.</summary>
    private void UpdateAverage()
    {
        if (_average is null) return;
        using var noGrad = no_grad();
        foreach (var (average, current) in _average.parameters().Zip(Generator.parameters()))
            average.lerp_(current, 1 - Config.AverageDecay);
    }

    /// <summary>Turns off gradients for <paramref name="module"/>'s weights until disposed.</summary>
    private static IDisposable WithoutWeightGradients(nn.Module module)
    {
        var parameters = module.parameters().Where(p => p.requires_grad).ToList();
        foreach (var p in parameters) p.requires_grad = false;
        return new OnDispose(() => parameters.ForEach(p => p.requires_grad = true));
    }

    private EpochRecord FinishEpoch(TrainingPhase phase, int length, double learningRate)
    {
        var (validationMse, validationG, validationD) = Validate(phase);
        var songs = SongSampler.Sample(SampledGenerator, _data.Scaling, Config.TonesPerCell, Config.ValidationSongs, Config.Length);
        var statistics = SongSetEvaluation.Measure(songs.Select(s => s.Notes));
        var summary = StatisticsSummary.Summarize(statistics);
        var overlaps = ValidationOverlaps(statistics);
        string sample = Path.Combine(RunFolder, SamplesFolderName, $"epoch-{_epoch + 1:D3}.mid");
        Directory.CreateDirectory(Path.GetDirectoryName(sample)!);
        if (songs[0].Notes.Count > 0) MidiFileWriter.Write(sample, songs[0].Notes);

        var p = _partial;
        return new EpochRecord
        {
            Epoch = _epoch + 1,
            Phase = phase,
            Length = length,
            Batches = p.Batches,
            GeneratorLoss = p.Mean(p.GeneratorLoss, p.AdversarialBatches),
            DiscriminatorLoss = p.Mean(p.DiscriminatorLoss, p.AdversarialBatches),
            FeatureMatchingLoss = Config.FeatureMatching ? p.Mean(p.FeatureMatchingLoss, p.AdversarialBatches) : double.NaN,
            MseLoss = p.Mean(p.MseLoss, p.Batches - p.AdversarialBatches),
            ValidationMse = validationMse,
            ValidationGeneratorLoss = validationG,
            ValidationDiscriminatorLoss = validationD,
            DiscriminatorFrozen = p.DiscriminatorFrozen,
            GeneratorFrozen = p.GeneratorFrozen,
            LearningRate = learningRate,
            Seconds = p.Seconds,
            EventsPerSecond = p.Seconds > 0 ? p.Events / p.Seconds : 0,
            SampledSongs = songs.Count,
            SongsWithNotes = statistics.Count,
            ValidationOverlap = overlaps.Count == 0 ? double.NaN : overlaps.Values.Average(),
            ValidationOverlaps = overlaps,
            Statistics = summary.Statistics.ToDictionary(s => s.Name, s => s.Mean),
        };
    }

    /// <summary>Each paper statistic's overlapping area with the validation songs (none without them, or without notes).</summary>
    private Dictionary<string, double> ValidationOverlaps(IReadOnlyList<SongStatistics> sampled)
    {
        _validationStatistics ??= SongSetEvaluation.Measure(RealSegments.CutEncoded(
            _data.Validation.Select(scaled => _data.Scaling.Unscale(scaled, _data.TonesPerCell)), Config.Length, seed: Config.DataSplitSeed));
        if (_validationStatistics.Count == 0 || sampled.Count == 0) return new();
        return SongSetEvaluation.Compare(sampled, _validationStatistics).Comparisons
            .Where(c => SongSetEvaluation.PaperStatistics.Contains(c.Statistic))
            .ToDictionary(c => c.Statistic, c => c.OverlappingArea);
    }

    /// <summary>G's teacher-forced next-event MSE on the validation songs now.</summary>
    public double ValidationMse() => Validate(TrainingPhase.Pretraining).Mse;

    /// <summary>Teacher-forced MSE on the validation songs, and in adversarial epochs D's and G's losses on them.</summary>
    private (double Mse, double GLoss, double DLoss) Validate(TrainingPhase phase)
    {
        if (_data.Validation.Count == 0) return (double.NaN, double.NaN, double.NaN);
        Generator.eval();
        Discriminator.eval();
        double mse = 0, g = 0, d = 0;
        int batches = 0;
        using (no_grad())
        {
            foreach (var events in WindowBatcher.Fixed(_data.Validation, _data.FeatureCount, Config.Batch, Config.Length, Config.DataSplitSeed, _device))
            {
                using var scope = NewDisposeScope();
                var real = _pitchClassHead?.WithPitchClasses(events) ?? events;
                mse += GanLosses.NextEvent(Generator.TeacherForced(real), real).item<float>();
                if (phase != TrainingPhase.Pretraining)
                {
                    var onReal = Discriminator.call(real);
                    var onFake = Discriminator.call(Generator.Sample(real.shape[0], real.shape[1]));
                    d += GanLosses.Discriminator(onReal.Decision, onFake.Decision).item<float>();
                    g += GanLosses.Generator(onFake.Decision, GeneratorLossForm.NonSaturating).item<float>();
                }
                batches++;
                events.Dispose();
            }
        }
        Generator.train();
        Discriminator.train();
        return phase != TrainingPhase.Pretraining
            ? (mse / batches, g / batches, d / batches)
            : (mse / batches, double.NaN, double.NaN);
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
        };
        TrainingCheckpoint.Save(CheckpointPath, header, Generator, Discriminator, _gOptimizer, _dOptimizer, _average);
    }

    private TrainingProgress Progress(TrainingPhase phase, int length, double seconds)
    {
        var p = _partial;
        double eventsPerSecond = seconds > 0 ? p.Events / seconds : 0;
        long eventsLeft = (long)(_batcher.BatchesPerEpoch - _batchInEpoch) * _batcher.BatchSize * length;
        for (int e = _epoch + 1; e < Config.Epochs; e++) eventsLeft += (long)_batcher.BatchesPerEpoch * _batcher.BatchSize * Config.LengthAt(e);
        var remaining = eventsPerSecond > 0 ? TimeSpan.FromSeconds(eventsLeft / eventsPerSecond) : TimeSpan.Zero;
        return new TrainingProgress(_epoch + 1, Config.Epochs, phase, length, _batchInEpoch, _batcher.BatchesPerEpoch,
            p.Mean(p.GeneratorLoss, p.AdversarialBatches), p.Mean(p.DiscriminatorLoss, p.AdversarialBatches),
            p.Mean(p.MseLoss, p.Batches - p.AdversarialBatches), p.DiscriminatorFrozen, p.GeneratorFrozen, eventsPerSecond, remaining);
    }

    private double CheckFinite(Tensor loss, string name)
    {
        double value = loss.item<float>();
        if (!double.IsFinite(value))
            throw new TrainingDivergedException($"{name} became {value} in epoch {_epoch + 1}, batch {_batchInEpoch + 1}");
        return value;
    }

    /// <summary>Clips to <see cref="TrainingConfig.ClipNorm"/>; a non-finite norm stops the step before it can reach the weights.</summary>
    private void ClipGradients(nn.Module module, string name)
    {
        double norm = nn.utils.clip_grad_norm_(module.parameters(), Config.ClipNorm);
        if (!double.IsFinite(norm))
            throw new TrainingDivergedException($"{name}'s gradient norm became {norm} in epoch {_epoch + 1}, batch {_batchInEpoch + 1}");
    }

    /// <summary>The optimiser a run with <paramref name="config"/> uses (its state is what a checkpoint stores).</summary>
    public static OptimizerHelper CreateOptimizer(TrainingConfig config, IEnumerable<Parameter> parameters, double learningRate) =>
        config.Adam ? torch.optim.Adam(parameters, learningRate, beta1: config.AdamBeta1) : torch.optim.SGD(parameters, learningRate);

    private Tensor AsWritten(Tensor fake)
    {
        var written = Config.ClampGeneratedTime ? WrittenEvents.ClampTimeAtZero(fake, Config.TonesPerCell, _data.Scaling) : fake;
        if (Config.TimeGrid > 0) written = WrittenEvents.RoundTime(written, Config.TonesPerCell, _data.Scaling, Config.TimeGrid);
        return Config.RoundGeneratedPitch ? WrittenEvents.RoundPitch(written, Config.TonesPerCell, _data.Scaling) : written;
    }

    private Tensor WithInstanceNoise(Tensor events) =>
        Config.InstanceNoise > 0 ? events + torch.randn_like(events) * Config.InstanceNoise : events;

    private void SetLearningRates(double learningRate)
    {
        foreach (var group in _gOptimizer.ParamGroups) group.LearningRate = learningRate;
        foreach (var group in _dOptimizer.ParamGroups) group.LearningRate = learningRate * Config.DiscriminatorLearningRateFactor;
    }

    private static Device ResolveDevice(string name)
    {
        if (name.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
            throw new ArgumentException($"--device {name}: CUDA is not available (this build uses TorchSharp-cpu; install TorchSharp-cuda and a CUDA driver to use a GPU)");
        return torch.device(name);
    }

    public void Dispose()
    {
        _sideThread?.Dispose();
        _discriminatorForG.Dispose();
        _gOptimizer.Dispose();
        _dOptimizer.Dispose();
        Generator.Dispose();
        _average?.Dispose();
        Discriminator.Dispose();
    }
}
