using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Generation;
using CrnnGan.IO;
using CrnnGan.Midi;
using CrnnGan.Training;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary>
/// <c>crnngan evaluate SONGS --real DIR</c>: compares generated songs with real segments of the same number of
/// events, statistic by statistic (means, stds, overlapping area of the densities, KL divergence).
/// </summary>
public static class EvaluateCommand
{
    private sealed record Options(string Songs, string Real, int Count, long Seed, int? Length, int MaxPerSong, string? JsonPath, string? FeaturesCsv, string? PlotFolder, string Split, bool Last,
        SamplingRequest Sampling, LabelRequest? Label);

    public static Command Create(CliContext context)
    {
        var songs = new Argument<string>("SONGS")
        {
            Description = "A folder of generated MIDI files, or songs to generate: a run folder (its best epoch's G) or a checkpoint or generator file",
        };
        var last = new Option<bool>("--last") { Description = $"With a run folder: its last epoch ({TrainingCheckpoint.FileName}) instead of its best" };
        var real = new Option<string>("--real") { Description = "Real music: a folder of MIDI files (the test split when it is the run's training corpus)", HelpName = "DIR", Required = true };
        var split = new Option<string>("--split")
        {
            Description = "When --real is the run's training corpus: test (never seen) or validation (to compare runs)",
            HelpName = "test|validation", DefaultValueFactory = _ => "test",
        };
        var count = CliOptions.Int("--count", "Songs to generate when SONGS is a run", 1, GenerateCommand.MaxCount, 200, "N", "-n");
        var seed = CliOptions.Seed("--seed", "Seed for generating and for choosing real segments", 1, "-s");
        var length = CliOptions.OptionalInt("--length", $"Events per song and real segment {CliOptions.Default("the run's length, or the songs' median")}",
            1, TrainingConfig.MaxLength, "EVENTS");
        var perSong = CliOptions.Int("--segments-per-song", "At most this many real segments per real song", 1, 100_000, 10);
        perSong.Hidden = true;
        var json = new Option<string?>("--json") { Description = "Also write the comparison as JSON", HelpName = "FILE" };
        var featuresCsv = new Option<string?>("--features-csv")
        {
            Description = "Also write every song's and real segment's musical features, and how generated the classifier found it, as CSV", HelpName = "FILE",
        };
        var plot = new Option<string?>("--plot") { Description = "Also draw one PNG per statistic with both distributions into this folder", HelpName = "DIR" };

        var noiseScale = SamplingRequest.NoiseScaleOption();
        var topP = SamplingRequest.TopPOption();
        var composer = LabelRequest.ComposerOption(evaluate: true);
        var genre = LabelRequest.GenreOption(evaluate: true);
        var command = new Command("evaluate", "Measure generated songs against real music, statistic by statistic")
        {
            songs, last, real, split, count, seed, length, noiseScale, topP, composer, genre, perSong, json, featuresCsv, plot,
        };
        command.SetAction(parse => Run(context, new Options(parse.GetValue(songs)!, parse.GetValue(real)!, parse.GetValue(count), parse.GetValue(seed),
            parse.GetValue(length), parse.GetValue(perSong), parse.GetValue(json), parse.GetValue(featuresCsv), parse.GetValue(plot), parse.GetValue(split)!, parse.GetValue(last),
            SamplingRequest.Read(parse.GetValue(noiseScale), parse.GetValue(topP)), LabelRequest.From(parse.GetValue(composer), parse.GetValue(genre)))));
        return command;
    }

    private static int Run(CliContext context, Options options)
    {
        if (options.Split is not ("test" or "validation")) throw new UsageException($"--split must be test or validation, got '{options.Split}'");
        if (!Directory.Exists(options.Real)) throw new UsageException($"--real {options.Real}: no such folder");
        if (!Directory.Exists(options.Songs) && !File.Exists(options.Songs)) throw new UsageException($"{options.Songs}: no such folder or checkpoint");
        if (options.JsonPath is not null) Output.OutputPaths.RequireFolderOf(options.JsonPath, "--json");
        if (options.FeaturesCsv is not null) Output.OutputPaths.RequireFolderOf(options.FeaturesCsv, "--features-csv");
        if (options.PlotFolder is not null) Output.OutputPaths.RequireCreatableFolder(options.PlotFolder, "--plot");

        var (generated, names, length, runConfig, source, label) = GeneratedSongs(options);
        var realSongs = EvaluateRealSongs.Read(options.Real, options.Split == "validation", runConfig, label, context.Console.WriteLine, out string realSource);
        if (label is not null)
            context.Console.WriteLine($"label: {label.Describe}, {realSongs.Count} real songs of it");
        var segmentsBySong = RealSegments.CutBySong(realSongs, length, runConfig?.TonesPerCell ?? 1, options.MaxPerSong, (int)options.Seed);
        var segments = segmentsBySong.SelectMany(s => s).ToList();
        if (segments.Count == 0)
            throw new InvalidDataException($"--real {options.Real}: no song has {length} events to cut a segment from");

        var evaluation = SongSetEvaluation.Compare(generated, segments);
        var music = MusicEvaluation.Compare(generated, segmentsBySong, EventLayout.NormalizedTicksPerQuarter, (int)options.Seed);
        Render(context.Console, evaluation, source, realSource, length);
        Output.MusicEvaluationTable.Render(context.Console, music);
        if (options.JsonPath is not null)
        {
            AtomicFile.WriteAllText(options.JsonPath, JsonSerializer.Serialize(new
            {
                generated = source, real = realSource, events = length, evaluation.GeneratedSongs, evaluation.RealSegments,
                label = label is null ? null : new { kind = label.Labels.KindName, name = label.Name, real_songs = realSongs.Count },
                mean_paper_overlapping_area = evaluation.MeanPaperOverlap, paper_statistics = SongSetEvaluation.PaperStatistics,
                statistics = evaluation.Comparisons,
                classifier_two_sample_accuracy = music.Realism?.Accuracy, classifier_two_sample = music.Realism, real_against_real = music.RealAgainstReal,
                lowest_feature_overlap = music.WorstFeature.OverlappingArea, features = music.Features,
            }, new JsonSerializerOptions { WriteIndented = true }));
            context.Console.WriteLine($"wrote {options.JsonPath}");
        }
        if (options.FeaturesCsv is not null)
        {
            var realNames = realSongs.Select(s => NameWithin(options.Real, s.SourceName)).ToList();
            AtomicFile.WriteAllText(options.FeaturesCsv, FeatureTable.ToCsv(music.Songs!, i => names[i], i => realNames[i]));
            context.Console.WriteLine($"wrote {options.FeaturesCsv}");
        }
        if (options.PlotFolder is not null)
            Output.EvaluationPlots.Write(context, evaluation, generated, segments, options.PlotFolder);
        return ExitCodes.Success;
    }

    /// <returns>The songs, their names (as <c>generate</c> names them with the same seed and count, or their files),
    /// their length in events, the settings of the model that made them (null for a folder of MIDI
    /// files), where they come from, and the label they were asked for.</returns>
    private static (IReadOnlyList<IReadOnlyList<Note>> Songs, IReadOnlyList<string> Names, int Length, TrainingConfig? RunConfig, string Source, ChosenLabel? Label) GeneratedSongs(Options options)
    {
        bool isRun = File.Exists(options.Songs) || RunModelFile.IsRunFolder(options.Songs);
        if (options.Last && !isRun)
            throw new UsageException($"--last needs SONGS to be a run folder; {options.Songs} holds no {TrainingCheckpoint.FileName}");
        if (options.Label is { } request && !isRun)
            throw new UsageException($"{request.Option} {request.Name}: SONGS must be a model trained by {request.KindName} (a run folder, checkpoint or generator file) " +
                                     $"to generate songs of it; {options.Songs} is a folder of MIDI files");
        if (isRun)
        {
            var chosen = RunModelFile.Choose(options.Songs, options.Last, "SONGS");
            using var model = TrainedModel.Load(chosen.Path);
            var scales = options.Sampling.For(model);
            int length = options.Length ?? model.Config.Length;
            GenerateCommand.RequireAtMostMaxEvents(options.Count, length);
            string? name = options.Label?.For(model);
            var label = name is null ? null : new ChosenLabel(model.Labels!, model.Labels!.Require(name), options.Label!.Option);
            var songs = model.Generate(options.Count, length, options.Seed, scales, name).Select(s => s.Notes).ToList();
            string which = chosen.Describe is null ? "" : $", {chosen.Describe(model)}";
            string scale = options.Sampling.Describe(scales, ", ");
            string of = label is null ? "" : $" of {label.Describe}";
            var names = Enumerable.Range(0, songs.Count).Select(i => GenerateCommand.SongFileName(options.Seed, i) + ".mid").ToList();
            return (songs, names, length, model.Config, $"{options.Count} songs{of} generated by {model.CheckpointPath}{which} (seed {options.Seed}{scale})", label);
        }

        var files = SongLoader.LoadAll(MidiFileFinder.Find(options.Songs)).Where(f => f.Succeeded).ToList();
        if (files.Count == 0) throw new InvalidDataException($"{options.Songs}: no readable MIDI files");
        // Encoded as the real segments are (at crnngan's resolution, cleaned), so that the musical features count alike.
        var encoded = files.Select(f => EventCodec.Encode(f.Song!)).ToList();
        int events = options.Length ?? Math.Max(1, encoded.Select(e => e.EventCount).Order().ElementAt(encoded.Count / 2));
        // A longer song is measured by its first window of that many events, as long as a real segment: shares such as
        // unique tones per note depend on how many notes there are.
        var cut = encoded.Select(e => (IReadOnlyList<Note>)EventCodec.Decode(e.EventCount > events ? RealSegments.Windows(e, events).First() : e)).ToList();
        return (cut, files.Select(f => NameWithin(options.Songs, f.Path)).ToList(), events, null, $"{files.Count} MIDI files in {options.Songs} (each at most its first {events} events)", null);
    }

    /// <summary>A file's path relative to the folder it was found in (composer folders tell alike names apart), or its name.</summary>
    private static string NameWithin(string folder, string path)
    {
        string relative = Path.GetRelativePath(Path.GetFullPath(folder), Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFileName(path) : relative.Replace('\\', '/');
    }

    private static void Render(IAnsiConsole console, SongSetEvaluation evaluation, string generated, string real, int length)
    {
        console.WriteLine($"generated: {generated}");
        console.WriteLine($"real: {real}");
        var table = new Table { Title = new TableTitle($"{evaluation.GeneratedSongs} generated songs vs {evaluation.RealSegments} real segments of {length} events") };
        table.AddColumn("Statistic");
        foreach (string heading in new[] { "Generated mean", "std", "Real mean", "std", "Overlap", "KL(real||gen)" })
            table.AddColumn(new TableColumn(heading).RightAligned());
        foreach (var c in evaluation.Comparisons)
        {
            string name = SongSetEvaluation.PaperStatistics.Contains(c.Statistic) ? $"{c.Statistic} *" : c.Statistic;
            table.AddRow(name, F(c.GeneratedMean), F(c.GeneratedStd), F(c.RealMean), F(c.RealStd), c.OverlappingArea.ToString("0.000", CultureInfo.InvariantCulture),
                c.KlDivergence.ToString("0.000", CultureInfo.InvariantCulture));
        }
        console.Write(table);
        console.WriteLine($"mean overlapping area over the paper's six statistics (*): {evaluation.MeanPaperOverlap.ToString("0.000", CultureInfo.InvariantCulture)}");
    }

    private static string F(double value) => value.ToString(Math.Abs(value) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);
}
