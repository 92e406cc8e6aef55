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
        var tempo = CliOptions.OptionalNumber("--tempo", "Tempo of the files, in quarter notes per minute " +
                                                          CliOptions.Default("the prime's; else the training music's most common, stored with the model; else 120"), "BPM");
        var prime = new Option<string?>("--prime")
        {
            Description = "Continue this MIDI file: G reads its first events, then goes on alone; the files hold the prime's notes, then G's",
            HelpName = "FILE",
        };
        var primeEvents = CliOptions.OptionalInt("--prime-events", $"With --prime: how many of its first events G reads " +
                                                                   CliOptions.Default("all, at most the model's training length"), 1, SongPrime.MaxEvents, "N");
        var primeFit = CliOptions.OptionalInt("--prime-fit", "With --prime: each song's song noise is the best of N draws at predicting the prime's pitches, " +
                                                             $"which steers a model that hardly follows what it reads {CliOptions.Default("1, drawn as always")}",
            1, PrimeRequest.MaxFit, "N");
        var continuationOnly = new Option<bool>("--continuation-only") { Description = "With --prime: write G's continuation alone, without the prime's notes" };
        var maxRows = CliOptions.Int("--max-rows", "Show at most this many songs in the table", 0, int.MaxValue, 40);
        maxRows.Hidden = true;
        var quantize = new Option<string?>("--quantize")
        {
            Description = $"Snap the notes to a grid: {string.Join(", ", NoteQuantizer.NamedGrids.Keys.Where(k => !k.Contains("triplet")))} (or -triplet), " +
                          $"or ticks (384 a quarter) {CliOptions.Default("off")}",
            HelpName = "GRID",
        };
        var noiseScale = SamplingRequest.NoiseScaleOption();
        var topP = SamplingRequest.TopPOption();
        var pianoRoll = new Option<bool>("--pianoroll") { Description = "Also draw each song as a piano roll, a PNG next to its MIDI file" };
        var key = new Option<string?>("--key")
        {
            Description = "Move each song, as a whole, into this key: \"D minor\", \"Bb major\", \"F#m\" " + CliOptions.Default("where G wrote it"),
            HelpName = "KEY",
        };
        var register = new Option<string?>("--register")
        {
            Description = "Move each song, as a whole, so that its mean pitch is nearest this note: C4 (= 60), A3, or a MIDI number 21-108; " +
                          "with --key by octaves " + CliOptions.Default("where G wrote it"),
            HelpName = "NOTE",
        };
        var composer = LabelRequest.ComposerOption();
        var genre = LabelRequest.GenreOption();

        var command = new Command("generate", "Write MIDI files from a trained model")
        {
            model, last, count, length, seed, output, tempo, noiseScale, topP, key, register, composer, genre, prime, primeEvents, primeFit, continuationOnly, maxRows, quantize, pianoRoll,
        };
        command.SetAction(parse =>
        {
            var (path, description) = ModelFile(parse.GetValue(model), parse.GetValue(last));
            var primeRequest = PrimeRequest.From(parse.GetValue(prime), parse.GetValue(primeEvents), parse.GetValue(continuationOnly), parse.GetValue(primeFit));
            return Run(context, path, description, new Request(parse.GetValue(count), parse.GetValue(length), parse.GetValue(seed), parse.GetValue(output)!,
                parse.GetValue(tempo), parse.GetValue(maxRows), parse.GetValue(pianoRoll), QuantizeGrid(parse.GetValue(quantize)),
                SamplingRequest.Read(parse.GetValue(noiseScale), parse.GetValue(topP)), primeRequest, LabelRequest.From(parse.GetValue(composer), parse.GetValue(genre)),
                Targets(parse.GetValue(key), parse.GetValue(register), primeRequest)));
        });
        return command;
    }

    private sealed record Request(int Count, int? Length, long? Seed, string Folder, double? Tempo, int MaxRows, bool PianoRoll, int? Quantize,
        SamplingRequest Sampling, PrimeRequest? Prime, LabelRequest? Label, PitchTargetRequest Targets);

    /// <summary>--key and --register as read, and as the user wrote them (for the line that says what was done).</summary>
    private sealed record PitchTargetRequest(PitchTargets Targets, string Description);

    private static PitchTargetRequest Targets(string? key, string? register, PrimeRequest? prime)
    {
        MusicKey? parsedKey = null;
        int? pitch = null;
        if (key is not null)
            parsedKey = MusicKey.TryParse(key, out var k) ? k : throw new UsageException($"--key: '{key}' is not a key; write a tonic and a mode, e.g. \"D minor\", \"Bb major\", \"F#m\"");
        if (register is not null)
            pitch = PitchTargets.TryParseRegister(register, out int p) ? p
                : throw new UsageException($"--register: '{register}' is not a note from A0 to C8; write a note name with its octave (C4 is middle C, 60) or a MIDI number {PitchTargets.LowestMeanPitch}-{PitchTargets.HighestMeanPitch}");
        if (prime is not null && (key is not null || register is not null))
            throw new UsageException($"{(key is not null ? "--key" : "--register")} cannot be used with --prime: a continuation follows its prime's key and register");
        var parts = new List<string>();
        if (parsedKey is MusicKey asked)
            parts.Add($"key {key!.Trim()} (a song that reads as {(asked.Minor ? "major" : "minor")} goes to the key with its notes, {Spelled(asked.Relative, key!)})");
        if (pitch is int p2)
            parts.Add($"mean pitch nearest {PianoRollChart.PitchName(p2)} ({p2}){(parsedKey is null ? "" : ", by octaves")}");
        return new PitchTargetRequest(new PitchTargets(parsedKey, pitch), $"each song moved as a whole to {string.Join("; ", parts)}");
    }

    /// <summary>A key's name with flats when the user wrote the asked key with one (Bb major's relative: G minor; Eb minor's: Gb major).</summary>
    private static string Spelled(MusicKey key, string userText)
    {
        string[] flats = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"];
        bool flat = userText.Trim().Length > 1 && userText.Trim()[1] is 'b' or '♭';
        return flat ? $"{flats[key.Tonic]} {(key.Minor ? "minor" : "major")}" : key.ToString();
    }

    /// <summary>The name (without .mid) of the <paramref name="index"/>-th song (from 0) generated with <paramref name="seed"/>.</summary>
    internal static string SongFileName(long seed, int index) => $"song-{seed}-{index + 1:D3}";

    public const int MaxCount = 100_000;

    /// <summary>Events generated at once (--count x --length) at most: G samples them all in one batch, in memory.</summary>
    public const long MaxEvents = 10_000_000;

    /// <summary>Refuses --count songs of <paramref name="length"/> events (after a prime of <paramref name="primed"/>) above <see cref="MaxEvents"/>.</summary>
    internal static void RequireAtMostMaxEvents(int count, int length, int primed = 0)
    {
        long total = (long)count * (length + primed);
        if (total > MaxEvents)
            throw new UsageException($"--count {count} songs of {length} events each{(primed == 0 ? "" : $" after a prime of {primed}")} is {total} events; " +
                                     $"at most {MaxEvents} can be generated at once");
    }

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

    private static int Run(CliContext context, string modelPath, Func<TrainedModel, string>? describe, Request request)
    {
        if (request.Tempo is <= 0 or > SongTempo.MaxBpm) throw new UsageException($"--tempo must be between 0 and {SongTempo.MaxBpm} BPM, got {request.Tempo}");
        string? runFolder = Path.GetFileName(modelPath) == TrainingCheckpoint.FileName ? Path.GetDirectoryName(modelPath) : null;
        if (!File.Exists(modelPath))
            throw new UsageException(runFolder is not null && Directory.Exists(runFolder)
                ? $"--model {runFolder}: holds no {TrainingCheckpoint.FileName}; give a run folder made by crnngan train, or its checkpoint"
                : $"--model {modelPath}: no such run folder or checkpoint");
        string folder = request.Folder;
        OutputPaths.RequireCreatableFolder(folder, "--out");

        long actualSeed = request.Seed ?? Random.Shared.NextInt64(0, 1L << 40);
        var clock = Stopwatch.StartNew();
        using var trained = TrainedModel.Load(modelPath);
        var scales = request.Sampling.For(trained);
        if (request.Prime is { Fit: > 1 } && trained.Config.Networks.SongNoiseSize == 0)
            throw new UsageException($"--prime-fit chooses each song's song noise, and {trained.CheckpointPath} has none (model.song_noise 0)");
        var prime = request.Prime is { } asked ? trained.ReadPrime(asked.Path, asked.Events) : null;
        string? label = request.Label?.For(trained);
        int events = request.Length ?? trained.Config.Length;
        RequireAtMostMaxEvents(request.Count, events, prime?.EventCount ?? 0);
        var written = prime is null
            ? trained.Generate(request.Count, events, actualSeed, scales, label).Select(s => request.Targets.Targets.Apply(Snapped(s.Notes, request.Quantize))).ToList()
            : trained.Continue(prime, request.Count, events, actualSeed, scales, request.Prime!.Fit, label)
                .Select(s => request.Prime!.ContinuationOnly
                    ? Snapped(s.Continuation.Notes, request.Quantize)
                    : [.. prime.Notes, .. Snapped(s.ContinuationNotes, request.Quantize)]).ToList();
        var (tempo, tempoSource) = Tempo(request.Tempo, prime, trained);

        Directory.CreateDirectory(folder);
        var entries = new List<SongStatisticsEntry>(written.Count);
        for (int i = 0; i < written.Count; i++)
        {
            string path = Path.Combine(folder, SongFileName(actualSeed, i) + ".mid");
            MidiFileWriter.Write(path, written[i], tempoBpm: tempo);
            if (request.PianoRoll)
                PianoRollChart.Save(Path.ChangeExtension(path, ".png"), Path.GetFileName(path), written[i], EventLayout.NormalizedTicksPerQuarter);
            entries.Add(new SongStatisticsEntry(Path.GetFileName(path), path, SongStatistics.Compute(written[i])));
        }

        string mode = SettingKeys.EnumName(trained.Config.Mode.ToString());
        string tones = Counted.Of(trained.Config.TonesPerCell, "tone");
        context.Console.WriteLine(describe is null
            ? $"model: {trained.CheckpointPath} ({mode}, {Counted.Of(trained.EpochsTrained, "epoch")}, {tones} per event)"
            : $"model: {trained.CheckpointPath}, {describe(trained)} ({mode}, {tones} per event)");
        if (prime is not null)
            context.Console.WriteLine($"prime: {prime.Path}, its first {Counted.Of(prime.EventCount, "event")} of {prime.EventsInFile} " +
                                      $"({Counted.Of(prime.Notes.Count, "note")}{(request.Prime!.Fit > 1 ? $"; song noise fitted to it, best of {request.Prime.Fit} draws" : "")}); " +
                                      $"{(request.Prime!.ContinuationOnly ? "the files hold G's continuation alone" : "the files hold them, then G's continuation")}");
        if (trained.Labels is { } labels)
            context.Console.WriteLine(label is null
                ? $"{labels.KindName}: each song's drawn in proportion to the training songs' ({string.Join(", ", labels.Names)}); --{labels.KindName} NAME chooses one"
                : $"{labels.KindName}: {label}");
        context.Console.WriteLine($"tempo: {tempo:0.##} BPM ({tempoSource})");
        if (!request.Targets.Targets.IsEmpty) context.Console.WriteLine(request.Targets.Description);
        StatsConsoleView.Render(context.Console, new StatsReport(IsSynthetic: true, entries, [], clock.Elapsed), request.MaxRows, hasFileOutput: false);
        int primeNotes = prime is null || request.Prime!.ContinuationOnly ? 0 : prime.Notes.Count;
        string what = prime is null ? $"{Counted.Of(written.Count, "song")} of {events} events" : $"{Counted.Of(written.Count, "continuation")} of {events} events";
        context.Console.WriteLine($"wrote {what} ({NoteCounts(written.Select(s => s.Count - primeNotes).ToList(), events * trained.Config.TonesPerCell)}) " +
                                  $"to {folder}{(request.PianoRoll ? ", each with a piano roll (.png)" : "")} " +
                                  $"(seed {actualSeed}; the same --seed and --count make them again){(request.Quantize is int q ? $"; snapped to a grid of {q} ticks" : "")}" +
                                  $"{request.Sampling.Describe(scales, "; ")}");
        return ExitCodes.Success;
    }

    private static IReadOnlyList<Note> Snapped(IReadOnlyList<Note> notes, int? grid) => grid is int ticks ? NoteQuantizer.Snap(notes, ticks) : notes;

    /// <summary>The tempo to write and where it comes from: --tempo, the prime's, the model's stored one, or 120 BPM.</summary>
    private static (double Bpm, string Source) Tempo(double? given, SongPrime? prime, TrainedModel trained) =>
        given is double bpm ? (bpm, "--tempo")
        : prime is not null ? (prime.TempoBpm, "the prime's most common; --tempo sets another")
        : trained.TempoBpm is double stored ? (stored, "the training music's most common, stored with the model; --tempo sets another")
        : (SongTempo.MidiDefaultBpm, "the model file stores no tempo, written before crnngan stored one; --tempo sets another");

    /// <summary>"62-100 notes" and why fewer notes than events: an event G writes as silence (a rest) holds no note.</summary>
    private static string NoteCounts(IReadOnlyList<int> notes, int mostPossible)
    {
        int fewest = notes.Min(), most = notes.Max();
        string range = fewest == most ? $"{Counted.Of(most, "note")}{(notes.Count > 1 ? " each" : "")}" : $"{fewest}-{most} notes";
        return fewest < mostPossible ? $"{range}; silent events write no note" : range;
    }
}
