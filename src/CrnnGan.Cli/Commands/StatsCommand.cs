using System.CommandLine;
using System.CommandLine.Parsing;
using CrnnGan.Cli.Output;
using CrnnGan.Cli.Stats;
using CrnnGan.Data;
using CrnnGan.Midi;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan stats PATH...</c>: the paper's statistics of MIDI files (or of the built-in synthetic corpus).</summary>
public static class StatsCommand
{
    public const int DemoSongCount = 20;
    public const int DemoSeed = 0;
    private const int DefaultMaxRows = 40;

    private sealed record Options(
        IReadOnlyList<string> Paths, string? JsonPath, string? CsvPath, int MaxRows, bool Demo, string? WriteDemoFolder);

    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "MIDI files (.mid, .midi, .kar, .rmi) or folders, searched recursively",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = new Option<string?>("--json")
        {
            Description = "Also write per-file statistics, the summary and unreadable files to this JSON file",
            HelpName = "FILE",
        };
        var csv = new Option<string?>("--csv")
        {
            Description = "Also write one row per file with every statistic to this CSV file",
            HelpName = "FILE",
        };
        var maxRows = new Option<int>("--max-rows")
        {
            Description = "Show at most this many files in the per-file table (0: summary only)",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultMaxRows,
            CustomParser = ParseMaxRows,
        };
        var demo = new Option<bool>("--demo")
        {
            Description = $"Use the built-in synthetic corpus ({DemoSongCount} songs, seed {DemoSeed}) instead of files",
        };
        var writeDemo = new Option<string?>("--write-demo")
        {
            Description = "With --demo: also write the synthetic songs as MIDI files into this folder",
            HelpName = "DIR",
            Hidden = true,
        };

        var command = new Command("stats", "Statistics of MIDI files: tone span, scale consistency, polyphony, repetitions, ...")
        {
            paths, json, csv, maxRows, demo, writeDemo,
        };
        command.SetAction(parseResult => Run(context, new Options(
            parseResult.GetValue(paths) ?? [],
            parseResult.GetValue(json),
            parseResult.GetValue(csv),
            parseResult.GetValue(maxRows),
            parseResult.GetValue(demo),
            parseResult.GetValue(writeDemo))));
        return command;
    }

    private static int ParseMaxRows(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
            return DefaultMaxRows;
        string token = result.Tokens[0].Value;
        if (int.TryParse(token, out int rows) && rows >= 0)
            return rows;
        result.AddError($"--max-rows must be a whole number, 0 or more, not '{token}'");
        return DefaultMaxRows;
    }

    private static void Validate(Options options)
    {
        if (options.Demo && options.Paths.Count > 0)
            throw new UsageException("give either PATHs or --demo, not both");
        if (!options.Demo && options.Paths.Count == 0)
            throw new UsageException("stats needs at least one PATH (a MIDI file or a folder), or --demo");
        if (!options.Demo && options.WriteDemoFolder is not null)
            throw new UsageException("--write-demo needs --demo");
    }

    private static int Run(CliContext context, Options options)
    {
        Validate(options);
        if (options.WriteDemoFolder is not null)
            OutputPaths.RequireCreatableFolder(options.WriteDemoFolder, "--write-demo");
        if (options.JsonPath is not null)
            OutputPaths.RequireFolderOf(options.JsonPath, "--json");
        if (options.CsvPath is not null)
            OutputPaths.RequireFolderOf(options.CsvPath, "--csv");

        StatsReport report;
        if (options.Demo)
        {
            report = Demo(options.WriteDemoFolder);
        }
        else
        {
            var inputs = StatsInputs.Resolve(options.Paths);
            if (inputs.Files.Count == 0)
            {
                context.WriteError($"no MIDI files (.mid, .midi, .kar, .rmi) found in {string.Join(", ", options.Paths)}");
                return ExitCodes.Failure;
            }
            report = Collect(context.Console, inputs);
        }

        StatsConsoleView.Render(context.Console, report, options.MaxRows, hasFileOutput: options.JsonPath is not null || options.CsvPath is not null);
        if (report.Songs.Count == 0)
        {
            context.WriteError(report.Unreadable.Count == 1
                ? "the only MIDI file found could not be read"
                : $"none of the {report.Unreadable.Count} MIDI files could be read");
            return ExitCodes.Failure;
        }

        if (options.JsonPath is not null)
        {
            StatsJsonWriter.Write(options.JsonPath, report);
            context.Console.WriteLine($"wrote {options.JsonPath}");
        }
        if (options.CsvPath is not null)
        {
            StatsCsvWriter.Write(options.CsvPath, report);
            context.Console.WriteLine($"wrote {options.CsvPath}");
        }
        return ExitCodes.Success;
    }

    private static StatsReport Collect(IAnsiConsole console, StatsInputs inputs)
    {
        if (!inputs.IncludesFolder || !console.Profile.Capabilities.Interactive)
            return StatsCollector.FromFiles(inputs.Files);

        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask($"reading {Counted.Of(inputs.Files.Count, "MIDI file")}", maxValue: inputs.Files.Count);
                return StatsCollector.FromFiles(inputs.Files, new CallbackProgress<int>(_ => task.Increment(1)));
            });
    }

    private static StatsReport Demo(string? writeFolder)
    {
        var songs = SyntheticCorpus.Generate(DemoSongCount, DemoSeed);
        if (writeFolder is null)
            return StatsCollector.FromSyntheticSongs(songs);

        Directory.CreateDirectory(writeFolder);
        var written = new List<string>(songs.Count);
        foreach (var song in songs)
        {
            string path = Path.Join(writeFolder, song.SourceName + ".mid");
            MidiFileWriter.Write(path, song.Notes, song.TicksPerQuarter, song.Tempos[0].Bpm);
            written.Add(path);
        }
        return StatsCollector.FromSyntheticSongs(songs, written);
    }
}
