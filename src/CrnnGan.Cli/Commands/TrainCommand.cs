using System.CommandLine;
using System.CommandLine.Parsing;
using CrnnGan.Cli.Output;
using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Evaluation.Reports;
using CrnnGan.Training;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan train</c>: trains C-RNN-GAN (or the baseline) on a folder of MIDI files or the built-in synthetic corpus.</summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new TrainingConfig();
        var data = new Option<string?>("--data") { Description = "Folder of MIDI files (searched recursively; genre/composer/*.mid). Default: the built-in synthetic corpus", HelpName = "DIR" };
        var output = new Option<string?>("--out") { Description = "Run folder for checkpoint.bin, stats.csv and samples/ (default: runs/<date-time>)", HelpName = "DIR" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out exactly where its checkpoint left it (its settings are kept; --epochs may extend it, --learning-rate may change it)" };
        var mode = new Option<TrainingMode>("--mode")
        {
            Description = "gan: pretraining then adversarial training; baseline: G trained only on next-event prediction",
            HelpName = "gan|baseline",
            DefaultValueFactory = _ => defaults.Mode,
            CustomParser = ParseMode,
        };
        var tones = new Option<int>("--tones-per-cell") { Description = "Tones per event: 1, or 3 for C-RNN-GAN-3", DefaultValueFactory = _ => defaults.TonesPerCell };
        var recipe = new Option<TrainingRecipe>("--recipe") { Description = "Where the settings start: crnngan (Adam, no L2, feature matching of means and spreads, G averaged, G says pitch classes, D sees song moments, D sees time clamped at 0: trains stably) or paper (SGD 0.1, L2 0.1, as the paper's code); options given go on top", DefaultValueFactory = _ => TrainingRecipe.Crnngan };
        var featureMatching = new Option<bool?>("--feature-matching") { Description = "G matches D's last-layer features of real songs instead of fooling D directly (recipe crnngan: on; --feature-matching false turns it off)" };
        var fmMeans = new Option<bool?>("--feature-matching-means") { Description = "Feature matching compares batch means of D's features instead of song pairs (Salimans et al. 2016; recipe crnngan: on)" };
        var fmSpread = new Option<double?>("--fm-spread") { Description = "Weight of matching how much D's song-averaged features vary between songs, beside their means, so that G's songs differ from each other as real ones do (recipe crnngan: 1; 0: off)" };
        var fmPitchClasses = new Option<double>("--fm-pitch-classes") { Description = "Weight of matching how songs share their notes among the 12 pitch classes (most used first, so any key), beside D's features (0: off)", DefaultValueFactory = _ => defaults.PitchClassProfileWeight };
        var songNoise = new Option<int>("--song-noise") { Description = "G's noise also holds this many values drawn once per song and kept through it (0: per-step noise alone, as in the paper)", DefaultValueFactory = _ => defaults.SongNoise };
        var songMoments = new Option<double?>("--d-song-moments") { Description = "D's last layer also holds each song's mean and spread (over its steps) of every value it reads, times this scale, so feature matching covers how loud or flat, wide or narrow, chordal or not each song is (recipe crnngan: 2; 0: off, as in the paper)", HelpName = "SCALE" };
        var songRanges = new Option<double?>("--d-song-ranges") { Description = "D's last layer also holds each song's highest and lowest (over its steps) of every value it reads, times this scale, so feature matching covers the spans of pitch and loudness that a few outlying notes widen (0: off, as in the paper)", HelpName = "SCALE" };
        var songLags = new Option<double?>("--d-song-lags") { Description = "D's last layer also holds how far each value it reads moves over 1 to 16 steps (root mean square over the song), times this scale, so feature matching covers the loops of a few events that repeat pitches where real music varies (0: off, as in the paper)", HelpName = "SCALE" };
        var dRhythm = new Option<double?>("--d-rhythm") { Description = "D also reads where each onset falls on the sixteenth-note, triplet and beat grids (cosines and sines), times this scale (0: off, as in the paper)", HelpName = "SCALE" };
        var dIntervals = new Option<double?>("--d-intervals") { Description = "D also reads whether each step repeats a pitch, moves by a step or leaps over an octave (smooth indicators), times this scale (0: off, as in the paper)", HelpName = "SCALE" };
        var timeGrid = new Option<int?>("--time-grid") { Description = "G's times between onsets and its lengths are rounded to this many ticks (384 per quarter note) when written, as its pitches are rounded to semitones (0: one tick, as in the paper)", HelpName = "TICKS" };
        var songLagsOf = new Option<string>("--d-song-lags-of") { Description = "What the song lags of --d-song-lags cover: all (every value D reads) or pitch (frequencies and pitch classes alone, so they say how the melody loops but leave rhythm and chords to D's LSTM)", HelpName = "all|pitch", DefaultValueFactory = _ => "all" };
        songLagsOf.AcceptOnlyFromAmong("all", "pitch");
        var songVelocity = new Option<bool>("--song-velocity") { Description = "G writes each song's velocities as a level of its own plus a spread of its own times G's velocity output, both from the song's noise, so it can write a song at one velocity as about a fifth of the classical corpus is (needs --song-noise; one tone per cell)" };
        var fixedSpread = new Option<bool>("--fixed-velocity-spread") { Description = "With --song-velocity: each song's spread keeps its start, so the corpus's share of songs at one velocity stays as it is; only the level learns" };
        var noFreezing = new Option<bool>("--no-freezing") { Description = "Never skip D's or G's update (the paper freezes the network that is too far ahead)" };
        var minimax = new Option<bool>("--minimax-g-loss") { Description = "G minimises the paper's mean(log(1 - D(G(z)))) instead of the non-saturating mean(-log D(G(z)))" };
        var hidden = new Option<int>("--hidden") { Description = "LSTM units per layer in G and D", DefaultValueFactory = _ => defaults.Hidden };
        var layers = new Option<int>("--layers") { Description = "LSTM layers in G and D", DefaultValueFactory = _ => defaults.Layers };
        var unidirectional = new Option<bool>("--unidirectional-d") { Description = "D reads songs forwards only" };
        var batch = new Option<int>("--batch") { Description = "Songs per batch", DefaultValueFactory = _ => defaults.Batch };
        var length = new Option<int>("--length") { Description = "Events per training window", DefaultValueFactory = _ => defaults.Length };
        var epochs = new Option<int?>("--epochs") { Description = $"Total epochs, pretraining included (default {defaults.Epochs})" };
        var pretrainEpochs = new Option<int>("--pretrain-epochs") { Description = "Epochs of teacher-forced next-event pretraining of G", DefaultValueFactory = _ => defaults.PretrainEpochs };
        var pretrainD = new Option<int>("--pretrain-d-epochs") { Description = "Epochs in which only D learns, after G's pretraining", DefaultValueFactory = _ => defaults.PretrainDiscriminatorEpochs };
        var curriculum = new Option<int>("--curriculum-step") { Description = "Window length grows by this many events per epoch up to --length (0: full length from the start)", DefaultValueFactory = _ => defaults.CurriculumStep };
        var learningRate = new Option<double?>("--learning-rate") { Description = "G's learning rate (recipe crnngan: 0.0002; paper: 0.1)" };
        var dFactor = new Option<double>("--d-lr-factor") { Description = "D's learning rate as a multiple of G's", DefaultValueFactory = _ => defaults.DiscriminatorLearningRateFactor };
        var adam = new Option<bool?>("--adam") { Description = "Adam instead of plain SGD (recipe crnngan: on; --adam false for SGD)" };
        var adamBeta1 = new Option<double?>("--adam-beta1") { Description = "Adam's first-moment decay (recipe crnngan: 0.5, the usual for GANs; paper: 0.9)" };
        var pretrainRate = new Option<double?>("--pretrain-learning-rate") { Description = "G's learning rate while pretraining (recipe crnngan: 0.001; paper: --learning-rate)" };
        var realLabel = new Option<double>("--real-label") { Description = "D's target for real songs (0.9: one-sided label smoothing)", DefaultValueFactory = _ => defaults.RealLabel };
        var instanceNoise = new Option<double>("--instance-noise") { Description = "Std of Gaussian noise added to every event D sees (0: none)", DefaultValueFactory = _ => defaults.InstanceNoise };
        var decayEpoch = new Option<int?>("--lr-decay-epoch") { Description = "From this epoch (1-based) on, multiply the learning rates by --lr-decay each epoch" };
        var decay = new Option<double>("--lr-decay") { Description = "Learning-rate decay factor per epoch", DefaultValueFactory = _ => defaults.LearningRateDecay };
        var l2 = new Option<double?>("--l2") { Description = "L2 scale on all weights: scale x sum(w^2)/2 (recipe crnngan: 0; paper: 0.1)" };
        var maxRollbacks = new Option<int>("--max-rollbacks") { Description = "After a NaN or infinite loss, roll back to the last checkpoint with halved learning rates at most this often", DefaultValueFactory = _ => defaults.MaxRollbacks };
        var dropout = new Option<double>("--dropout") { Description = "Dropout between the stacked LSTM layers of G and D", DefaultValueFactory = _ => defaults.Dropout };
        var dInputDropout = new Option<double>("--d-input-dropout") { Description = "Dropout on the events D sees", DefaultValueFactory = _ => defaults.DiscriminatorInputDropout };
        var pitchClasses = new Option<bool?>("--d-pitch-classes") { Description = "D also sees each tone's place on the circle of fifths, so keeping to a key is easy for it to check (--d-pitch-classes false: off)" };
        var pitchClassHead = new Option<bool?>("--pitch-class-head") { Description = "G says each tone's pitch class as a point on the circle of fifths beside its frequency, which then only sets the register; D reads the same of real tones (recipe crnngan: on; --pitch-class-head false: off)" };
        var transposeToC = new Option<bool?>("--transpose-to-c") { Description = "Move every song into C major or A minor (by at most 6 semitones) before training, so G learns one key (--transpose-to-c false: off)" };
        var clampTime = new Option<bool?>("--d-clamp-time") { Description = "D sees G's time since the previous event clamped at zero, as it is written, so G's chords look like real ones (--d-clamp-time false: off)" };
        var logLengths = new Option<bool>("--d-log-lengths") { Description = "D reads every tone's length on a log scale (real and G's alike), where G's events of no length, which write no note, lie far below any real note's" };
        var roundPitch = new Option<bool?>("--d-round-pitch") { Description = "D sees G's frequencies rounded to the nearest semitone, as they are written; the gradient passes straight through (--d-round-pitch false: off)" };
        var average = new Option<double?>("--average-decay") { Description = "Keep an exponential moving average of G's weights with this decay per G step and sample from it (0: off; recipe crnngan: 0.995, ~200 steps; paper: 0)" };
        var clip = new Option<double>("--clip-norm") { Description = "Gradient-norm clipping", DefaultValueFactory = _ => defaults.ClipNorm };
        var seed = new Option<int>("--seed") { Description = "Seed for weights, noise, shuffling and (unless --split-seed) the data split", DefaultValueFactory = _ => defaults.Seed };
        var splitSeed = new Option<int?>("--split-seed") { Description = "Seed of the train/validation/test split alone (default: --seed), so runs of several seeds share one split" };
        var device = new Option<string>("--device") { Description = "cpu or cuda (cuda needs TorchSharp-cuda)", DefaultValueFactory = _ => defaults.Device };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for tensor work (default: all cores)" };
        var validation = new Option<double>("--validation-fraction") { Description = "Share of songs held out for validation", DefaultValueFactory = _ => defaults.ValidationFraction };
        var test = new Option<double>("--test-fraction") { Description = "Share of songs held out for testing (never trained on)", DefaultValueFactory = _ => defaults.TestFraction };
        var validationSongs = new Option<int>("--validation-songs") { Description = "Songs sampled from G after every epoch and measured against the validation songs to choose the best epoch", DefaultValueFactory = _ => defaults.ValidationSongs };
        var keepBy = new Option<BestEpochMeasure>("--keep-by") { Description = "Which epoch's G best-generator.bin keeps: mean (the highest mean overlap of the six paper statistics with the validation songs) or worst (the highest lowest overlap of the six)", HelpName = "mean|worst", DefaultValueFactory = _ => defaults.KeepBy, CustomParser = ParseKeepBy };
        var keepEvery = new Option<bool>("--keep-every-generator") { Description = "Also keep G of every epoch that competes for best-generator.bin, as generators/epoch-NNN.bin in the run folder (about 1 MB each at --hidden 128), to generate from, listen to or evaluate again" };
        var synthetic = new Option<int>("--synthetic-songs") { Description = "Songs in the built-in synthetic corpus (without --data)", DefaultValueFactory = _ => defaults.SyntheticSongs };
        var tensorBoard = new Option<string?>("--tensorboard") { Description = "Also write the losses and mean statistics of every epoch as TensorBoard event files into this folder", HelpName = "DIR" };

        var command = new Command("train", "Train C-RNN-GAN on MIDI files (or the built-in synthetic corpus)")
        {
            data, output, resume, recipe, mode, tones, featureMatching, fmMeans, fmSpread, fmPitchClasses, songNoise, songMoments, songRanges, songLags, dRhythm, dIntervals, timeGrid, songLagsOf, songVelocity, fixedSpread, noFreezing, minimax, hidden, layers, unidirectional, batch, length,
            epochs, pretrainEpochs, pretrainD, curriculum, learningRate, dFactor, adam, adamBeta1, pretrainRate, realLabel, instanceNoise, decayEpoch, decay, l2, clip, average, dropout, dInputDropout, pitchClasses, pitchClassHead, transposeToC, clampTime, logLengths, roundPitch, maxRollbacks, seed, splitSeed, device,
            threads, validation, test, validationSongs, keepBy, keepEvery, synthetic, tensorBoard,
        };
        // How each setting shows in a TrainingConfig, to tell whether one given with --resume differs from the run's.
        // --epochs, --learning-rate and --threads are not here: --resume may change them.
        var settings = new (Option Option, Func<TrainingConfig, object?> Value)[]
        {
            (data, c => c.DataPath), (mode, c => c.Mode), (tones, c => c.TonesPerCell), (featureMatching, c => c.FeatureMatching), (fmMeans, c => c.FeatureMatchingOfMeans),
            (fmSpread, c => c.FeatureSpreadWeight), (fmPitchClasses, c => c.PitchClassProfileWeight), (songNoise, c => c.SongNoise), (songMoments, c => c.DiscriminatorSongMoments), (songRanges, c => c.DiscriminatorSongRanges), (songLags, c => c.DiscriminatorSongLags), (dRhythm, c => c.DiscriminatorRhythm), (dIntervals, c => c.DiscriminatorIntervals), (timeGrid, c => c.TimeGrid), (songLagsOf, c => c.SongLagsOfPitchOnly ? "pitch" : "all"), (songVelocity, c => c.SongVelocity), (fixedSpread, c => c.FixedVelocitySpread),
            (noFreezing, c => !c.Freezing), (minimax, c => c.GeneratorLoss == GeneratorLossForm.Minimax), (hidden, c => c.Hidden),
            (layers, c => c.Layers), (unidirectional, c => c.UnidirectionalDiscriminator), (batch, c => c.Batch), (length, c => c.Length),
            (pretrainEpochs, c => c.PretrainEpochs), (pretrainD, c => c.PretrainDiscriminatorEpochs), (curriculum, c => c.CurriculumStep),
            (dFactor, c => c.DiscriminatorLearningRateFactor), (adam, c => c.Adam), (adamBeta1, c => c.AdamBeta1),
            (pretrainRate, c => c.PretrainLearningRate), (realLabel, c => c.RealLabel), (instanceNoise, c => c.InstanceNoise),
            (maxRollbacks, c => c.MaxRollbacks),
            (decayEpoch, c => c.LearningRateDecayEpoch + 1), (decay, c => c.LearningRateDecay), (l2, c => c.L2Scale), (clip, c => c.ClipNorm), (average, c => c.AverageDecay),
            (dropout, c => c.Dropout), (dInputDropout, c => c.DiscriminatorInputDropout),
            (pitchClasses, c => c.DiscriminatorPitchClasses), (pitchClassHead, c => c.PitchClassHead), (transposeToC, c => c.TransposeToC), (clampTime, c => c.ClampGeneratedTime), (logLengths, c => c.DiscriminatorLogLengths), (roundPitch, c => c.RoundGeneratedPitch),
            (seed, c => c.Seed), (splitSeed, c => c.DataSplitSeed), (device, c => c.Device), (validation, c => c.ValidationFraction),
            (test, c => c.TestFraction), (validationSongs, c => c.ValidationSongs), (keepBy, c => c.KeepBy), (keepEvery, c => c.KeepEveryGenerator), (synthetic, c => c.SyntheticSongs),
        };
        command.SetAction(parse =>
        {
            if (parse.GetResult(data) is { Implicit: false })
                OutputPaths.RequireNotEmpty(parse.GetValue(data), "--data", "a folder of MIDI files");
            if (parse.GetResult(output) is { Implicit: false })
                OutputPaths.RequireNotEmpty(parse.GetValue(output), "--out", "a folder");
            var start = TrainingConfig.ForRecipe(parse.GetValue(recipe));
            bool useAdam = parse.GetValue(adam) ?? start.Adam;
            bool? featureMatchingGiven = parse.GetValue(featureMatching);
            bool? meansGiven = parse.GetValue(fmMeans);
            bool featureMatchingOn = featureMatchingGiven ?? (meansGiven == true || start.FeatureMatching);
            bool meansOn = meansGiven ?? start.FeatureMatchingOfMeans;
            var config = start with
            {
                Mode = parse.GetValue(mode),
                TonesPerCell = parse.GetValue(tones),
                FeatureMatching = featureMatchingOn,
                FeatureMatchingOfMeans = meansOn,
                // The recipe's spread term rides on feature matching of means; turning that off turns it off too.
                FeatureSpreadWeight = parse.GetValue(fmSpread) ?? (featureMatchingOn && meansOn ? start.FeatureSpreadWeight : 0),
                PitchClassProfileWeight = parse.GetValue(fmPitchClasses),
                SongNoise = parse.GetValue(songNoise),
                DiscriminatorSongMoments = parse.GetValue(songMoments) ?? start.DiscriminatorSongMoments,
                DiscriminatorSongRanges = parse.GetValue(songRanges) ?? start.DiscriminatorSongRanges,
                DiscriminatorSongLags = parse.GetValue(songLags) ?? start.DiscriminatorSongLags,
                DiscriminatorRhythm = parse.GetValue(dRhythm) ?? start.DiscriminatorRhythm,
                DiscriminatorIntervals = parse.GetValue(dIntervals) ?? start.DiscriminatorIntervals,
                TimeGrid = parse.GetValue(timeGrid) ?? start.TimeGrid,
                SongLagsOfPitchOnly = parse.GetValue(songLagsOf) == "pitch",
                SongVelocity = parse.GetValue(songVelocity),
                FixedVelocitySpread = parse.GetValue(fixedSpread),
                Freezing = !parse.GetValue(noFreezing),
                GeneratorLoss = parse.GetValue(minimax) ? GeneratorLossForm.Minimax : GeneratorLossForm.NonSaturating,
                Hidden = parse.GetValue(hidden),
                Layers = parse.GetValue(layers),
                UnidirectionalDiscriminator = parse.GetValue(unidirectional),
                Batch = parse.GetValue(batch),
                Length = parse.GetValue(length),
                Epochs = parse.GetValue(epochs) ?? defaults.Epochs,
                PretrainEpochs = parse.GetValue(pretrainEpochs),
                PretrainDiscriminatorEpochs = parse.GetValue(pretrainD),
                CurriculumStep = parse.GetValue(curriculum),
                LearningRate = parse.GetValue(learningRate) ?? (useAdam == start.Adam ? start.LearningRate : useAdam ? 0.001 : defaults.LearningRate),
                DiscriminatorLearningRateFactor = parse.GetValue(dFactor),
                Adam = useAdam,
                AdamBeta1 = parse.GetValue(adamBeta1) ?? start.AdamBeta1,
                PretrainLearningRate = parse.GetValue(pretrainRate) ?? (useAdam == start.Adam ? start.PretrainLearningRate : null),
                RealLabel = parse.GetValue(realLabel),
                InstanceNoise = parse.GetValue(instanceNoise),
                LearningRateDecayEpoch = parse.GetValue(decayEpoch) is int e ? e - 1 : null,
                LearningRateDecay = parse.GetValue(decay),
                L2Scale = parse.GetValue(l2) ?? start.L2Scale,
                ClipNorm = parse.GetValue(clip),
                AverageDecay = parse.GetValue(average) ?? start.AverageDecay,
                Dropout = parse.GetValue(dropout),
                DiscriminatorInputDropout = parse.GetValue(dInputDropout),
                DiscriminatorPitchClasses = parse.GetValue(pitchClasses) ?? start.DiscriminatorPitchClasses,
                TransposeToC = parse.GetValue(transposeToC) ?? start.TransposeToC,
                // The recipe's head gives way to --d-pitch-classes: both would give D the pitch classes.
                PitchClassHead = parse.GetValue(pitchClassHead) ?? (parse.GetValue(pitchClasses) != true && start.PitchClassHead),
                ClampGeneratedTime = parse.GetValue(clampTime) ?? start.ClampGeneratedTime,
                RoundGeneratedPitch = parse.GetValue(roundPitch) ?? start.RoundGeneratedPitch,
                DiscriminatorLogLengths = parse.GetValue(logLengths),
                MaxRollbacks = parse.GetValue(maxRollbacks),
                Seed = parse.GetValue(seed),
                SplitSeed = parse.GetValue(splitSeed),
                Device = parse.GetValue(device) ?? "cpu",
                Threads = parse.GetValue(threads),
                ValidationFraction = parse.GetValue(validation),
                TestFraction = parse.GetValue(test),
                SyntheticSongs = parse.GetValue(synthetic),
                ValidationSongs = parse.GetValue(validationSongs),
                KeepBy = parse.GetValue(keepBy),
                KeepEveryGenerator = parse.GetValue(keepEvery),
                DataPath = parse.GetValue(data) is string path ? Path.GetFullPath(path) : null,
            };
            string folder = parse.GetValue(output) ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss"));
            string? tensorBoardFolder = parse.GetValue(tensorBoard);
            if (!parse.GetValue(resume))
                return Start(context, config, folder, tensorBoardFolder);
            var given = settings.Where(s => parse.GetResult(s.Option) is { Implicit: false }).ToList();
            return Resume(context, folder, parse.GetValue(epochs), parse.GetValue(learningRate), parse.GetValue(threads), tensorBoardFolder, stored =>
            {
                foreach (var (option, value) in given)
                {
                    object? asked = value(config), kept = value(stored);
                    if (!Equals(asked, kept))
                        throw new UsageException(
                            $"--resume keeps the run's settings, but {option.Name} asks for {Show(asked)} where the run has {Show(kept)}: " +
                            $"leave {option.Name} out, or start a new run with another --out");
                }
            });
        });
        return command;
    }

    private static BestEpochMeasure ParseKeepBy(ArgumentResult result)
    {
        string token = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        switch (token.ToLowerInvariant())
        {
            case "": return new TrainingConfig().KeepBy;
            case "mean": return BestEpochMeasure.Mean;
            case "worst": return BestEpochMeasure.Worst;
            default:
                result.AddError($"--keep-by must be mean or worst, got '{token}'");
                return default;
        }
    }

    private static TrainingMode ParseMode(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
            return new TrainingConfig().Mode;
        string token = result.Tokens[0].Value;
        switch (token.ToLowerInvariant())
        {
            case "gan": return TrainingMode.Gan;
            case "baseline": return TrainingMode.Baseline;
            default:
                result.AddError($"--mode must be gan or baseline, got '{token}'");
                return default;
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "the default",
        true => "on",
        false => "off",
        TrainingMode mode => mode.ToString().ToLowerInvariant(),
        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static int Start(CliContext context, TrainingConfig config, string folder, string? tensorBoardFolder)
    {
        config.Validate();
        RequireDataFolder(config.DataPath);
        if (File.Exists(Path.Combine(folder, TrainingCheckpoint.FileName)))
            throw new UsageException($"{folder} already holds a run: add --resume to continue it, or choose another --out");
        OutputPaths.RequireCreatableFolder(folder, "--out");

        var data = LoadData(context, config, scaling: null);
        using var trainer = GanTrainer.Start(config, data, folder);
        if (trainer.OneVelocityShareAtStart is double share)
            context.Console.WriteLine($"song velocities: {share:P1} of the training windows of " +
                $"{config.Length} events are at one velocity; G starts with that share of its songs at one velocity" +
                (config.FixedVelocitySpread ? " and keeps it" : ""));
        WriteReference(context, trainer, data);
        return Train(context, trainer, tensorBoardFolder);
    }

    private static void RequireDataFolder(string? path)
    {
        if (path is null || Directory.Exists(path))
            return;
        throw new UsageException(File.Exists(path)
            ? $"--data {path}: is a file; --data takes a folder of MIDI files"
            : $"--data {path}: no such folder");
    }

    /// <param name="checkSettings">Throws if the settings given with --resume differ from the run's own.</param>
    private static int Resume(CliContext context, string folder, int? epochs, double? learningRate, int? threads, string? tensorBoardFolder,
        Action<TrainingConfig> checkSettings)
    {
        string checkpoint = Path.Combine(folder, TrainingCheckpoint.FileName);
        if (!File.Exists(checkpoint))
            throw new UsageException($"--resume: {folder} holds no checkpoint ({TrainingCheckpoint.FileName})");
        checkSettings(TrainingCheckpoint.ReadHeader(checkpoint).Config);
        if (learningRate is double rate && !(rate > 0 && double.IsFinite(rate)))
            throw new UsageException($"--learning-rate must be positive, got {rate}");
        TrainingData? data = null;
        using var trainer = GanTrainer.Resume(folder, (config, scaling) => data = LoadData(context, config, scaling), epochs, learningRate, threads);
        context.Console.WriteLine($"resuming {folder} after epoch {trainer.EpochsDone} of {trainer.Config.Epochs}");
        if (data is not null && !File.Exists(Path.Combine(trainer.RunFolder, ReferenceStatistics.FileName)))
            WriteReference(context, trainer, data);
        return Train(context, trainer, tensorBoardFolder);
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

    /// <summary>The run's songs: the corpus at --data (train and validation splits) or the synthetic corpus.</summary>
    public static TrainingData LoadData(CliContext context, TrainingConfig config, FeatureScaling? scaling)
    {
        if (config.DataPath is null)
        {
            var songs = SyntheticCorpus.Generate(config.SyntheticSongs, config.DataSplitSeed);
            int validationCount = Math.Max(1, (int)Math.Round(songs.Count * config.ValidationFraction));
            var data = TrainingData.FromSongs("built-in synthetic corpus", songs.Skip(validationCount).ToList(), songs.Take(validationCount).ToList(),
                config.TonesPerCell, config.Length, scaling, config.TransposeToC);
            context.Console.WriteLine($"data: {data.Description}: {data.Train.Count} training and {data.Validation.Count} validation songs " +
                                      $"({data.TooShort} shorter than {config.Length} events left out). Real music: --data DIR");
            return data;
        }

        RequireDataFolder(config.DataPath);
        var corpus = ReadCorpus(context, config);
        foreach (var skipped in corpus.Skipped.Take(10))
            context.Console.WriteLine($"skipped {skipped.Path}: {skipped.Reason}");
        if (corpus.Skipped.Count > 10)
            context.Console.WriteLine($"... and {corpus.Skipped.Count - 10} more unreadable files");
        if (corpus.SongCount == 0 && corpus.Skipped.Count == 0)
            throw new InvalidDataException($"--data {config.DataPath}: no MIDI files (.mid, .midi, .kar, .rmi) found");
        if (corpus.SongCount == 0)
            throw new InvalidDataException($"--data {config.DataPath}: no readable MIDI files ({corpus.Skipped.Count} unreadable)");

        var loaded = TrainingData.FromSongs(config.DataPath, corpus.Train.Select(s => s.Song).ToList(), corpus.Validation.Select(s => s.Song).ToList(),
            config.TonesPerCell, config.Length, scaling, config.TransposeToC);
        context.Console.WriteLine(
            $"data: {Counted.Of(corpus.SongCount, "song")} ({Counted.Of(corpus.Duplicates.Count, "duplicate")} dropped, {corpus.Skipped.Count} unreadable); " +
            $"split {corpus.Train.Count} train / {corpus.Validation.Count} validation / {corpus.Test.Count} test; " +
            $"{loaded.Train.Count} training songs have at least {config.Length} events ({loaded.TooShort} too short left out)");
        return loaded;
    }

    private static Corpus ReadCorpus(CliContext context, TrainingConfig config)
    {
        var options = new CorpusOptions(config.DataSplitSeed, config.ValidationFraction, config.TestFraction);
        if (!context.Console.Profile.Capabilities.Interactive)
            return Corpus.Load(config.DataPath!, options);
        int total = MidiFileFinder.Find(config.DataPath!).Count;
        return context.Console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask($"reading {total} MIDI files", maxValue: total);
                return Corpus.Load(config.DataPath!, options, new CallbackProgress<int>(_ => task.Increment(1)));
            });
    }

    private static int Train(CliContext context, GanTrainer trainer, string? tensorBoardFolder)
    {
        var console = context.Console;
        var config = trainer.Config;
        console.WriteLine($"run folder: {trainer.RunFolder}");
        console.WriteLine($"model: {config.Mode}, {config.TonesPerCell} tone(s) per event, hidden {config.Hidden} x {config.Layers} layers, " +
                          $"{(config.UnidirectionalDiscriminator ? "unidirectional" : "bidirectional")} D, " +
                          $"{(config.FeatureMatching ? config.FeatureMatchingOfMeans ? "feature matching of means" : "feature matching" : "adversarial G loss")}{(config.FeatureSpreadWeight > 0 ? $" and spreads (x{config.FeatureSpreadWeight})" : "")}{(config.PitchClassProfileWeight > 0 ? $" and pitch-class profiles (x{config.PitchClassProfileWeight})" : "")}, L2 {config.L2Scale}, freezing {(config.Freezing ? "on" : "off")}, " +
                          $"{(config.AverageDecay > 0 ? $"G averaged ({config.AverageDecay}), " : "")}{(config.SongNoise > 0 ? $"{config.SongNoise} noise values per song, " : "")}{(config.DiscriminatorSongMoments > 0 ? $"D sees song moments (x{config.DiscriminatorSongMoments}), " : "")}{(config.DiscriminatorSongRanges > 0 ? $"D sees song ranges (x{config.DiscriminatorSongRanges}), " : "")}{(config.DiscriminatorSongLags > 0 ? $"D sees song lags (x{config.DiscriminatorSongLags}), " : "")}{(config.DiscriminatorRhythm > 0 ? $"D reads rhythm (x{config.DiscriminatorRhythm}), " : "")}{(config.DiscriminatorIntervals > 0 ? $"D reads intervals (x{config.DiscriminatorIntervals}), " : "")}{(config.TimeGrid > 0 ? $"G's time in steps of {config.TimeGrid} ticks, " : "")}{(config.SongVelocity ? $"G writes song velocities{(config.FixedVelocitySpread ? " (spread fixed)" : "")}, " : "")}" +
                          $"{(config.DiscriminatorPitchClasses ? "D sees pitch classes, " : "")}{(config.PitchClassHead ? "G says pitch classes, " : "")}{(config.TransposeToC ? "songs moved to C, " : "")}{(config.ClampGeneratedTime ? "D sees G's time clamped at 0, " : "")}{(config.DiscriminatorLogLengths ? "D sees lengths on a log scale, " : "")}{(config.RoundGeneratedPitch ? "D sees G's pitch rounded, " : "")}" +
                          $"{(config.Adam ? "Adam" : "SGD")} lr {config.LearningRate}, batch {config.Batch}, length {config.Length}, epochs {config.Epochs} ({config.PretrainEpochs} pretraining)");

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
                console.WriteLine($"interrupted: checkpoint saved in {trainer.RunFolder}; continue with: crnngan train --resume --out {trainer.RunFolder}");
                return ExitCodes.Interrupted;
            }
            console.WriteLine($"done: {trainer.EpochsDone} epochs; stats in {Path.Combine(trainer.RunFolder, GanTrainer.StatsFileName)}, " +
                              $"samples in {Path.Combine(trainer.RunFolder, GanTrainer.SamplesFolderName)}; " +
                              $"pictures in {Path.Combine(trainer.RunFolder, RunPlots.Figure3FileName)} and {RunPlots.LossesFileName}; " +
                              $"make music with: crnngan generate --model {trainer.RunFolder}");
            if (trainer.BestEpoch is { } best)
                console.WriteLine($"best epoch by validation overlap: {best.Epoch} (mean {best.ValidationOverlap:F3}, lowest {best.WorstValidationOverlap:F3}; " +
                                  $"kept by the {(trainer.Config.KeepBy == BestEpochMeasure.Worst ? "lowest" : "mean")}); its G: " +
                                  $"crnngan generate --model {trainer.BestGeneratorPath}");
            return ExitCodes.Success;
        }
        catch (TrainingDivergedException e)
        {
            context.WriteError(e.Message);
            return ExitCodes.Failure;
        }
    }
}
