using System.CommandLine;
using CrnnGan.Cli.Compare;
using CrnnGan.Cli.Output;
using CrnnGan.Generation;
using CrnnGan.Reports;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan compare RUN|MODEL...</c>: the mean statistics of runs' last epochs and of models' songs side by side with real music.</summary>
public static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var runs = new Argument<string[]>("RUN|MODEL")
        {
            Description = "Run folders (from crnngan train; their last epoch) or model files (generator or checkpoint; songs sampled here)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var bundled = new Option<bool>("--bundled") { Description = "Add the three models bundled with crnngan: C-RNN-GAN, C-RNN-GAN-3 and the baseline, as in the paper" };
        var real = new Option<string?>("--real") { Description = $"Compare with windows cut from the MIDI files in this folder {CliOptions.Default("the music each run or model trained on, where kept")}", HelpName = "DIR" };
        var count = CliOptions.Int("--count", "Songs to sample from each model file", 1, GenerateCommand.MaxCount, 200, "N", "-n");
        var seed = CliOptions.Seed("--seed", "Seed for sampling the model files' songs", 1, "-s");
        var csv = new Option<string?>("--csv") { Description = "Also write the table to this CSV file (one row per run or model and per real-music reference)", HelpName = "FILE" };
        var json = new Option<string?>("--json") { Description = "Also write the table to this JSON file", HelpName = "FILE" };
        var output = new Option<string>("--out", "-o") { Description = "The bar chart (PNG) of the runs against real music", HelpName = "FILE", DefaultValueFactory = _ => "compare.png" };
        var command = new Command("compare", "Compare runs or models with each other and with real music, statistic by statistic (table, CSV, JSON and a bar chart)")
        {
            runs, bundled, real, count, seed, csv, json, output,
        };
        command.SetAction(parse => Run(context, new Options(parse.GetValue(runs) ?? [], parse.GetValue(bundled), parse.GetValue(real), parse.GetValue(count),
            parse.GetValue(seed), parse.GetValue(csv), parse.GetValue(json), parse.GetValue(output)!)));
        return command;
    }

    private sealed record Options(IReadOnlyList<string> Paths, bool Bundled, string? RealFolder, int Count, long Seed, string? Csv, string? Json, string Png);

    private static int Run(CliContext context, Options options)
    {
        if (options.Paths.Count == 0 && !options.Bundled)
            throw new UsageException("give run folders or model files to compare, or --bundled for the models that come with crnngan");
        if (options.Csv is not null) OutputPaths.RequireFolderOf(options.Csv, "--csv");
        if (options.Json is not null) OutputPaths.RequireFolderOf(options.Json, "--json");
        OutputPaths.RequireFolderOf(options.Png, "--out");
        if (options.RealFolder is not null && !Directory.Exists(options.RealFolder)) throw new UsageException($"--real {options.RealFolder}: no such folder");

        var results = Compared(context.Console, options);
        var real = options.RealFolder is null
            ? RealMusicSources.OfRuns(context.Console, results)
            : RealMusicSources.FromFolder(context.Console, options.RealFolder, results);
        var comparison = new Comparison(results, real);

        ComparisonOutputs.RenderTable(context.Console, comparison);
        if (options.Csv is not null)
        {
            ComparisonOutputs.WriteCsv(options.Csv, comparison);
            context.Console.WriteLine($"wrote {options.Csv}");
        }
        if (options.Json is not null)
        {
            ComparisonOutputs.WriteJson(options.Json, comparison);
            context.Console.WriteLine($"wrote {options.Json}");
        }
        if (RunPlots.FontProblem() is string problem) context.Console.WriteLine($"warning: {problem}");
        ComparisonChart.Save(options.Png, comparison.Series, $"{string.Join(", ", results.Select(r => r.Name))} against real music");
        context.Console.WriteLine($"wrote {options.Png}");
        return ExitCodes.Success;
    }

    /// <summary>The runs' last epochs and the models' sampled songs, in the order given, the bundled models last.</summary>
    private static IReadOnlyList<RunResult> Compared(IAnsiConsole console, Options options)
    {
        var folders = options.Paths.Where(Directory.Exists).ToHashSet();
        foreach (string path in options.Paths.Where(p => !folders.Contains(p) && !File.Exists(p)))
            throw new UsageException($"{path}: no such run folder or model file");
        var runs = RunFolders.Load(options.Paths.Where(folders.Contains).ToList()).Select(RunResult.Of).ToList();

        var models = options.Paths.Where(p => !folders.Contains(p))
            .Select(p => (Path: p, Name: Path.GetFileNameWithoutExtension(p), Reference: (string?)null)).ToList();
        if (options.Bundled)
        {
            foreach (var missing in BundledModels.All.Where(m => !File.Exists(m.Path)))
                throw new UsageException($"--bundled: {missing.Description} is not at {missing.Path}; reinstall crnngan");
            models.AddRange(BundledModels.All.Select(m => (m.Path, m.Name, (string?)m.ReferencePath)));
        }
        var sampled = new List<RunResult>();
        foreach (var (path, name, reference) in models)
        {
            console.WriteLine($"sampling {options.Count} songs from {name} ({path}, seed {options.Seed})");
            sampled.Add(ModelResults.Sample(path, name, options.Count, options.Seed, reference));
        }

        var byPath = runs.Concat(sampled).ToList();
        var clashing = byPath.GroupBy(r => r.Name).Where(g => g.Count() > 1).SelectMany(g => g).ToHashSet();
        return byPath.Select(r => clashing.Contains(r) ? r with { Name = r.Folder } : r).ToList();
    }
}
