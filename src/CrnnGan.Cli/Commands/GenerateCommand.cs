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
        var model = new Option<string?>("--model") { Description = "A run folder (from crnngan train), its checkpoint.bin, or a generator file (default: the bundled model)", HelpName = "RUN_OR_CHECKPOINT" };
        var count = new Option<int>("--count") { Description = "Songs to write", DefaultValueFactory = _ => 5 };
        var length = new Option<int?>("--length") { Description = "Events per song (default: the length the model was trained on)", HelpName = "EVENTS" };
        var seed = new Option<long?>("--seed") { Description = "Seed: the same seed and count give the same songs (default: random, printed)" };
        var output = new Option<string>("--out") { Description = "Folder for the MIDI files", HelpName = "DIR", DefaultValueFactory = _ => "generated" };
        var tempo = new Option<double>("--tempo") { Description = "Tempo of the written files, in quarter notes per minute", HelpName = "BPM", DefaultValueFactory = _ => 120 };
        var maxRows = new Option<int>("--max-rows") { Description = "Show at most this many songs in the table", DefaultValueFactory = _ => 40 };
        var quantize = new Option<string?>("--quantize") { Description = $"Snap the songs' notes to this grid afterwards: {string.Join(", ", NoteQuantizer.NamedGrids.Keys)}, or a number of ticks (384 per quarter note); off by default, so the songs keep the model's own timing", HelpName = "GRID" };
        var pianoRoll = new Option<bool>("--pianoroll") { Description = "Also draw each song as a piano roll, a PNG next to its MIDI file" };

        var command = new Command("generate", "Write MIDI files from a trained model") { model, count, length, seed, output, tempo, maxRows, quantize, pianoRoll };
        command.SetAction(parse => Run(context, parse.GetValue(model) ?? BundledModel(), parse.GetValue(count), parse.GetValue(length),
            parse.GetValue(seed), parse.GetValue(output)!, parse.GetValue(tempo), parse.GetValue(maxRows), parse.GetValue(pianoRoll), QuantizeGrid(parse.GetValue(quantize))));
        return command;
    }

    public const int MaxCount = 100_000;

    /// <summary>Events generated at once (--count x --length) at most: G samples them all in one batch, in memory.</summary>
    public const long MaxEvents = 10_000_000;

    private static string BundledModel() =>
        File.Exists(TrainedModel.BundledPath)
            ? TrainedModel.BundledPath
            : throw new UsageException($"no --model given and no bundled model at {TrainedModel.BundledPath}; train one with crnngan train");

    private static int? QuantizeGrid(string? value)
    {
        if (value is null) return null;
        if (NoteQuantizer.NamedGrids.TryGetValue(value.ToLowerInvariant(), out int named)) return named;
        if (int.TryParse(value, out int ticks) && ticks is >= 1 and <= 4 * EventLayout.NormalizedTicksPerQuarter) return ticks;
        throw new UsageException($"--quantize must be one of {string.Join(", ", NoteQuantizer.NamedGrids.Keys)} or 1 to {4 * EventLayout.NormalizedTicksPerQuarter} ticks, got '{value}'");
    }

    private static int Run(CliContext context, string modelPath, int count, int? length, long? seed, string folder, double tempo, int maxRows,
        bool pianoRoll, int? quantize)
    {
        if (count is < 1 or > MaxCount) throw new UsageException($"--count must be 1 to {MaxCount}, got {count}");
        if (length is < 1 or > TrainingConfig.MaxLength) throw new UsageException($"--length must be 1 to {TrainingConfig.MaxLength}, got {length}");
        if (tempo is <= 0 or > 1000 || !double.IsFinite(tempo)) throw new UsageException($"--tempo must be between 0 and 1000 BPM, got {tempo}");
        if (maxRows < 0) throw new UsageException($"--max-rows must be 0 or more, got {maxRows}");
        OutputPaths.RequireNotEmpty(modelPath, "--model", "a run folder or checkpoint");
        if (!Directory.Exists(modelPath) && !File.Exists(modelPath))
            throw new UsageException($"--model {modelPath}: no such run folder or checkpoint");
        if (Directory.Exists(modelPath) && !File.Exists(Path.Combine(modelPath, TrainingCheckpoint.FileName)))
            throw new UsageException($"--model {modelPath}: holds no {TrainingCheckpoint.FileName}; give a run folder made by crnngan train, or its checkpoint");
        OutputPaths.RequireCreatableFolder(folder, "--out");

        long actualSeed = seed ?? Random.Shared.NextInt64(0, 1L << 40);
        var clock = Stopwatch.StartNew();
        using var trained = TrainedModel.Load(modelPath);
        int events = length ?? trained.Config.Length;
        if ((long)count * events > MaxEvents)
            throw new UsageException($"--count {count} songs of {events} events each is {(long)count * events} events; at most {MaxEvents} can be generated at once");
        var songs = trained.Generate(count, events, actualSeed)
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

        context.Console.WriteLine($"model: {trained.CheckpointPath} ({trained.Config.Mode}, {trained.EpochsTrained} epochs, {trained.Config.TonesPerCell} tone(s) per event)");
        StatsConsoleView.Render(context.Console, new StatsReport(IsSynthetic: true, entries, [], clock.Elapsed), maxRows, hasFileOutput: false);
        context.Console.WriteLine($"wrote {songs.Count} songs of {events} events to {folder}{(pianoRoll ? ", each with a piano roll (.png)" : "")} " +
                                  $"(seed {actualSeed}; the same --seed and --count make them again){(quantize is int q ? $"; snapped to a grid of {q} ticks" : "")}");
        return ExitCodes.Success;
    }
}
