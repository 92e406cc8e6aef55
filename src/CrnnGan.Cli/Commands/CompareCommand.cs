using System.CommandLine;
using CrnnGan.Cli.Compare;
using CrnnGan.Cli.Output;
using CrnnGan.Reports;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan compare RUN...</c>: the last epoch's mean statistics of runs side by side with real music.</summary>
public static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var runs = new Argument<string[]>("RUN") { Description = "Run folders (from crnngan train)", Arity = ArgumentArity.OneOrMore };
        var real = new Option<string?>("--real") { Description = $"Compare with windows cut from the MIDI files in this folder {CliOptions.Default("each run's training data")}", HelpName = "DIR" };
        var csv = new Option<string?>("--csv") { Description = "Also write the table to this CSV file (one row per run and per real-music reference)", HelpName = "FILE" };
        var json = new Option<string?>("--json") { Description = "Also write the table to this JSON file", HelpName = "FILE" };
        var output = new Option<string>("--out", "-o") { Description = "The bar chart (PNG) of the runs against real music", HelpName = "FILE", DefaultValueFactory = _ => "compare.png" };
        var command = new Command("compare", "Compare runs' last-epoch statistics with each other and with real music (table, CSV, JSON and a bar chart)")
        {
            runs, real, csv, json, output,
        };
        command.SetAction(parse => Run(context, parse.GetValue(runs) ?? [], parse.GetValue(real), parse.GetValue(csv), parse.GetValue(json), parse.GetValue(output)!));
        return command;
    }

    private static int Run(CliContext context, IReadOnlyList<string> folders, string? realFolder, string? csv, string? json, string png)
    {
        if (csv is not null) OutputPaths.RequireFolderOf(csv, "--csv");
        if (json is not null) OutputPaths.RequireFolderOf(json, "--json");
        OutputPaths.RequireFolderOf(png, "--out");
        if (realFolder is not null && !Directory.Exists(realFolder)) throw new UsageException($"--real {realFolder}: no such folder");

        var runs = RunFolders.Load(folders);
        var results = runs.Select(RunResult.Of).ToList();
        var real = realFolder is null
            ? RealMusicSources.OfRuns(context.Console, runs)
            : RealMusicSources.FromFolder(context.Console, realFolder, results);
        var comparison = new Comparison(results, real);

        ComparisonOutputs.RenderTable(context.Console, comparison);
        if (csv is not null)
        {
            ComparisonOutputs.WriteCsv(csv, comparison);
            context.Console.WriteLine($"wrote {csv}");
        }
        if (json is not null)
        {
            ComparisonOutputs.WriteJson(json, comparison);
            context.Console.WriteLine($"wrote {json}");
        }
        if (RunPlots.FontProblem() is string problem) context.Console.WriteLine($"warning: {problem}");
        ComparisonChart.Save(png, comparison.Series, $"last epoch of {string.Join(", ", results.Select(r => r.Name))} against real music");
        context.Console.WriteLine($"wrote {png}");
        return ExitCodes.Success;
    }
}
