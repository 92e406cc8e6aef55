using System.CommandLine;
using System.Diagnostics;
using CrnnGan.Cli.Output;
using CrnnGan.Cli.Stats;
using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Reports;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Training;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan generate</c>: writes MIDI files from a trained G and prints their statistics.</summary>
public static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string?>("--model")
        {
            Description = $"A run folder (its best epoch's G), a checkpoint or a generator file {CliOptions.Default("the bundled model")}",
            HelpName = "RUN|FILE",
        };
        var last = new Option<bool>("--last") { Description = $"With --model RUN: the run's last epoch ({TrainingCheckpoint.FileName}) instead of its best" };
        var count = CliOptions.Int("--count", "Songs to write", 1, MaxCount, 5, "N", "-n");
        var length = CliOptions.OptionalInt("--length", $"Events per song {CliOptions.Default("the model's training length")}", 1, TrainingConfig.MaxLength, "EVENTS");
        var seed = CliOptions.OptionalSeed("--seed", $"The same seed and count write the same songs {CliOptions.Default("random, printed")}", "-s");
        var output = new Option<string>("--out", "-o") { Description = "Folder for the MIDI files", HelpName = "DIR", DefaultValueFactory = _ => "generated" };
        var tempo = CliOptions.Number("--tempo", "Tempo of the files, in quarter notes per minute", 120, "BPM");
        var maxRows = CliOptions.Int("--max-rows", "Show at most this many songs in the table", 0, int.MaxValue, 40);
        maxRows.Hidden = true;
        var quantize = new Option<string?>("--quantize")
        {
            Description = $"Snap the notes to a grid: {string.Join(", ", NoteQuantizer.NamedGrids.Keys.Where(k => !k.Contains("triplet")))} (or -triplet), " +
                          $"or ticks (384 a quarter) {CliOptions.Default("off")}",
            HelpName = "GRID",
        };
        var noiseScale = NoiseScaleOption();
        var pianoRoll = new Option<bool>("--pianoroll") { Description = "Also draw each song as a piano roll, a PNG next to its MIDI file" };

        var command = new Command("generate", "Write MIDI files from a trained model") { model, last, count, length, seed, output, tempo, noiseScale, maxRows, quantize, pianoRoll };
        command.SetAction(parse =>
        {
            var (path, description) = ModelFile(parse.GetValue(model), parse.GetValue(last));
            return Run(context, path, description, parse.GetValue(count), parse.GetValue(length), parse.GetValue(seed), parse.GetValue(output)!,
                parse.GetValue(tempo), parse.GetValue(maxRows), parse.GetValue(pianoRoll), QuantizeGrid(parse.GetValue(quantize)),
                NoiseScale(parse.GetValue(noiseScale)));
        });
        return command;
    }

    public const double MaxNoiseScale = 4;

    /// <summary>G's temperature, shared by generate and evaluate.</summary>
    internal static Option<double> NoiseScaleOption() =>
        CliOptions.Number("--noise-scale", "Scale of G's noise at each step: below 1 steadier songs (0: each song follows from its song noise alone), " +
                                           $"above 1 wilder (0 to {MaxNoiseScale})", 1, "X");

    internal static double NoiseScale(double value) =>
        value is >= 0 and <= MaxNoiseScale ? value : throw new UsageException($"--noise-scale must be 0 to {MaxNoiseScale}, got {value}");

    public const int MaxCount = 100_000;

    /// <summary>Events generated at once (--count x --length) at most: G samples them all in one batch, in memory.</summary>
    public const long MaxEvents = 10_000_000;

    /// <summary>
    /// The file to load for --model (a run folder: its best G, best-generator.bin, unless --last or it has none yet; then
    /// its checkpoint.bin), with the words that say which epoch it holds; null words where the file says it itself.
    /// </summary>
    private static (string Path, Func<TrainedModel, string>? Description) ModelFile(string? model, bool last)
    {
        if (model is null)
        {
            if (last) throw new UsageException("--last needs --model to be a run folder");
            return File.Exists(TrainedModel.BundledPath)
                ? (TrainedModel.BundledPath, null)
                : throw new UsageException($"no --model given and no bundled model at {TrainedModel.BundledPath}; train one with crnngan train");
        }
        OutputPaths.RequireNotEmpty(model, "--model", "a run folder or checkpoint");
        if (!Directory.Exists(model))
        {
            if (last) throw new UsageException($"--last needs --model to be a run folder; {model} is a file");
            return (model, null);
        }
        var layout = new RunFolderLayout(model);
        if (!File.Exists(layout.Checkpoint))
            return (layout.Checkpoint, null); // Run names the missing checkpoint
        int? lastEpoch = LastEpoch(layout.Checkpoint);
        if (last)
            return (layout.Checkpoint, trained => $"the run's last epoch, {trained.EpochsTrained}");
        if (!File.Exists(layout.BestGenerator))
            return (layout.Checkpoint, trained => $"the run's last epoch, {trained.EpochsTrained}: it has no best epoch yet " +
                                                  $"({RunFolderLayout.BestGeneratorFileName} comes with its first adversarial epoch)");
        return (layout.BestGenerator, trained => $"the run's best epoch, {trained.EpochsTrained}" + lastEpoch switch
        {
            int end when end == trained.EpochsTrained => ", also its last",
            int end => $" of {end}; --last takes epoch {end}",
            null => "; --last takes the last",
        });
    }

    /// <summary>The epoch a run's checkpoint was saved after, for the note on which epoch generate uses; null if unreadable
    /// (generating from its best G does not need it).</summary>
    private static int? LastEpoch(string checkpoint)
    {
        try
        {
            return TrainingCheckpoint.ReadHeader(checkpoint).Epoch;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or CrnnGan.IO.CheckpointException or SettingException)
        {
            return null;
        }
    }

    private static int? QuantizeGrid(string? value)
    {
        if (value is null) return null;
        if (NoteQuantizer.NamedGrids.TryGetValue(value.ToLowerInvariant(), out int named)) return named;
        if (int.TryParse(value, out int ticks) && ticks is >= 1 and <= 4 * EventLayout.NormalizedTicksPerQuarter) return ticks;
        throw new UsageException($"--quantize must be one of {string.Join(", ", NoteQuantizer.NamedGrids.Keys)} or 1 to {4 * EventLayout.NormalizedTicksPerQuarter} ticks, got '{value}'");
    }

    private static int Run(CliContext context, string modelPath, Func<TrainedModel, string>? describe, int count, int? length, long? seed,
        string folder, double tempo, int maxRows, bool pianoRoll, int? quantize, double noiseScale)
    {
        if (tempo is <= 0 or > 1000) throw new UsageException($"--tempo must be between 0 and 1000 BPM, got {tempo}");
        string? runFolder = Path.GetFileName(modelPath) == TrainingCheckpoint.FileName ? Path.GetDirectoryName(modelPath) : null;
        if (!File.Exists(modelPath))
            throw new UsageException(runFolder is not null && Directory.Exists(runFolder)
                ? $"--model {runFolder}: holds no {TrainingCheckpoint.FileName}; give a run folder made by crnngan train, or its checkpoint"
                : $"--model {modelPath}: no such run folder or checkpoint");
        OutputPaths.RequireCreatableFolder(folder, "--out");

        long actualSeed = seed ?? Random.Shared.NextInt64(0, 1L << 40);
        var clock = Stopwatch.StartNew();
        using var trained = TrainedModel.Load(modelPath);
        int events = length ?? trained.Config.Length;
        if ((long)count * events > MaxEvents)
            throw new UsageException($"--count {count} songs of {events} events each is {(long)count * events} events; at most {MaxEvents} can be generated at once");
        var songs = trained.Generate(count, events, actualSeed, noiseScale)
            .Select(s => quantize is int grid ? s with { Notes = NoteQuantizer.Snap(s.Notes, grid) } : s).ToList();

        Directory.CreateDirectory(folder);
        var entries = new List<SongStatisticsEntry>(songs.Count);
        for (int i = 0; i < songs.Count; i++)
        {
            string path = Path.Combine(folder, $"song-{actualSeed}-{i + 1:D3}.mid");
            MidiFileWriter.Write(path, songs[i].Notes, tempoBpm: tempo);
            if (pianoRoll)
                PianoRollChart.Save(Path.ChangeExtension(path, ".png"), Path.GetFileName(path), songs[i].Notes, EventLayout.NormalizedTicksPerQuarter);
            entries.Add(new SongStatisticsEntry(Path.GetFileName(path), path, SongStatistics.Compute(songs[i].Notes)));
        }

        string mode = SettingKeys.EnumName(trained.Config.Mode.ToString());
        string tones = Counted.Of(trained.Config.TonesPerCell, "tone");
        context.Console.WriteLine(describe is null
            ? $"model: {trained.CheckpointPath} ({mode}, {Counted.Of(trained.EpochsTrained, "epoch")}, {tones} per event)"
            : $"model: {trained.CheckpointPath}, {describe(trained)} ({mode}, {tones} per event)");
        StatsConsoleView.Render(context.Console, new StatsReport(IsSynthetic: true, entries, [], clock.Elapsed), maxRows, hasFileOutput: false);
        context.Console.WriteLine($"wrote {Counted.Of(songs.Count, "song")} of {events} events ({NoteCounts(songs.Select(s => s.Notes.Count).ToList(), events * trained.Config.TonesPerCell)}) " +
                                  $"to {folder}{(pianoRoll ? ", each with a piano roll (.png)" : "")} " +
                                  $"(seed {actualSeed}; the same --seed and --count make them again){(quantize is int q ? $"; snapped to a grid of {q} ticks" : "")}" +
                                  $"{(noiseScale != 1 ? $"; noise scale {noiseScale}" : "")}");
        return ExitCodes.Success;
    }

    /// <summary>"62-100 notes" and why fewer notes than events: an event G writes as silence (a rest) holds no note.</summary>
    private static string NoteCounts(IReadOnlyList<int> notes, int mostPossible)
    {
        int fewest = notes.Min(), most = notes.Max();
        string range = fewest == most ? $"{Counted.Of(most, "note")}{(notes.Count > 1 ? " each" : "")}" : $"{fewest}-{most} notes";
        return fewest < mostPossible ? $"{range}; silent events write no note" : range;
    }
}
