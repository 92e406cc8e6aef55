using System.CommandLine;
using CrnnGan.Generation;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan export</c>: writes a run's G alone (optionally half precision) for sharing or bundling.</summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "A run folder, checkpoint or generator file", HelpName = "RUN_OR_CHECKPOINT", Required = true };
        var output = new Option<string>("--out") { Description = "The generator file to write", HelpName = "FILE", Required = true };
        var half = new Option<bool>("--half") { Description = "Store the weights in half precision (half the size)" };
        var provenance = new Option<string?>("--provenance") { Description = "Text kept in the file: data, settings, evaluation figures" };
        var command = new Command("export", "Write a trained G alone, for sharing or as the bundled model") { model, output, half, provenance };
        command.SetAction(parse =>
        {
            string source = parse.GetValue(model)!;
            string target = parse.GetValue(output)!;
            if (!Directory.Exists(source) && !File.Exists(source)) throw new UsageException($"--model {source}: no such run folder or checkpoint");
            Output.OutputPaths.RequireFolderOf(target, "--out");
            using var trained = TrainedModel.Load(source);
            string text = parse.GetValue(provenance) ?? $"exported from {trained.CheckpointPath} after {trained.EpochsTrained} epochs";
            trained.Export(target, parse.GetValue(half), text);
            context.Console.WriteLine($"wrote {target} ({new FileInfo(target).Length / 1024.0 / 1024:F1} MiB, {(parse.GetValue(half) ? "half" : "single")} precision)");
            return ExitCodes.Success;
        });
        return command;
    }
}
