using System.CommandLine;
using CrnnGan.Cli.Output;
using CrnnGan.Reports;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan plot RUN...</c>: the paper's Figure 3 and the loss curves of training runs, as PNG files.</summary>
public static class PlotCommand
{
    public const string ComparisonFileName = "comparison-figure3.png";

    public static Command Create(CliContext context)
    {
        var runs = new Argument<string[]>("RUN") { Description = "Run folders (from crnngan train)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the PNG files", HelpName = "DIR", DefaultValueFactory = _ => "." };
        var command = new Command("plot", "Draw Figure 3 (statistics per epoch against real music) and the loss curves of training runs") { runs, output };
        command.SetAction(parse => Run(context, parse.GetValue(runs) ?? [], parse.GetValue(output)!));
        return command;
    }

    private static int Run(CliContext context, IReadOnlyList<string> folders, string output)
    {
        var runs = RunFolders.Load(folders);
        OutputPaths.RequireCreatableFolder(output, "--out");
        if (RunPlots.FontProblem() is string problem) context.Console.WriteLine($"warning: {problem}");
        Directory.CreateDirectory(output);

        foreach (var run in runs)
        {
            if (run.Records.Count == 0)
                context.Console.WriteLine($"note: {run.Folder} has no finished epoch yet; its pictures are empty");
            if (run.Reference is null)
                context.Console.WriteLine($"note: {run.Folder} has no {CrnnGan.Evaluation.ReferenceStatistics.FileName} (an older run): no real-music lines");
            foreach (string path in RunPlots.Write(output, run.Series, prefix: run.Name + "-"))
                context.Console.WriteLine($"wrote {path}");
        }
        if (runs.Count > 1)
        {
            string path = Path.Combine(output, ComparisonFileName);
            Figure3Chart.Save(path, runs.Select(r => r.Series).ToList(), $"statistics per epoch: {string.Join(" vs ", runs.Select(r => r.Name))}");
            context.Console.WriteLine($"wrote {path}");
        }
        return ExitCodes.Success;
    }
}
