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
        var pianoRoll = new Option<bool>("--pianoroll") { Description = "Also draw each song as a piano roll, a PNG next to its MIDI file" };

        var command = new Command("generate", "Write MIDI files from a trained model") { model, last, count, length, seed, output, tempo, maxRows, quantize, pianoRoll };
        command.SetAction(parse =>
        {
            var (path, description) = ModelFile(parse.GetValue(model), parse.GetValue(last));
            return Run(context, path, description, parse.GetValue(count), parse.GetValue(length), parse.GetValue(seed), parse.GetValue(output)!,
                parse.GetValue(tempo), parse.GetValue(maxRows), parse.GetValue(pianoRoll), QuantizeGrid(parse.GetValue(quantize)));
        });
        return command;
    }

    public const int MaxCount = 100_000;

    /// <summary>Events generated at once (--count x --length) at most: G samples them all in one batch, in memory.</summary>
    public const long MaxEvents = 10_000_000;

    /// <summary>
    /// The file to load for --model (see <see cref="RunModelFile"/>), or the bundled model when none is given.
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
        var chosen = RunModelFile.Choose(model, last, "--model");
        return (chosen.Path, chosen.Describe);
    }

    private static int? QuantizeGrid(string? value)
    {
        if (value is null) return null;
        if (NoteQuantizer.NamedGrids.TryGetValue(value.ToLowerInvariant(), out int named)) return named;
        if (int.TryParse(value, out int ticks) && ticks is >= 1 and <= 4 * EventLayout.NormalizedTicksPerQuarter) return ticks;
        throw new UsageException($"--quantize must be one of {string.Join(", ", NoteQuantizer.NamedGrids.Keys)} or 1 to {4 * EventLayout.NormalizedTicksPerQuarter} ticks, got '{value}'");
    }

    private static int Run(CliContext context, string modelPath, Func<TrainedModel, string>? describe, int count, int? length, long? seed,
        string folder, double tempo, int maxRows, bool pianoRoll, int? quantize)
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

        string mode = SettingKeys.EnumName(trained.Config.Mode.ToString());
        string tones = Counted.Of(trained.Config.TonesPerCell, "tone");
        context.Console.WriteLine(describe is null
            ? $"model: {trained.CheckpointPath} ({mode}, {Counted.Of(trained.EpochsTrained, "epoch")}, {tones} per event)"
            : $"model: {trained.CheckpointPath}, {describe(trained)} ({mode}, {tones} per event)");
        StatsConsoleView.Render(context.Console, new StatsReport(IsSynthetic: true, entries, [], clock.Elapsed), maxRows, hasFileOutput: false);
        context.Console.WriteLine($"wrote {Counted.Of(songs.Count, "song")} of {events} events ({NoteCounts(songs.Select(s => s.Notes.Count).ToList(), events * trained.Config.TonesPerCell)}) " +
                                  $"to {folder}{(pianoRoll ? ", each with a piano roll (.png)" : "")} " +
                                  $"(seed {actualSeed}; the same --seed and --count make them again){(quantize is int q ? $"; snapped to a grid of {q} ticks" : "")}");
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
