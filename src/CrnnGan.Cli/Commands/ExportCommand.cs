using System.CommandLine;
using CrnnGan.Generation;
using CrnnGan.Training;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan export</c>: writes a run's G alone (optionally half precision) for sharing or bundling.</summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string[]>("--model")
        {
            Description = "A run folder, checkpoint or generator file; several (of one run) give the mean of their weights",
            HelpName = "RUN|FILE",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out", "-o") { Description = "The generator file to write", HelpName = "FILE", Required = true };
        var half = new Option<bool>("--half") { Description = "Store the weights in half precision (half the size)" };
        var provenance = new Option<string?>("--provenance") { Description = "Text kept in the file: data, settings, evaluation figures", HelpName = "TEXT", Hidden = true };
        var epochs = new Option<string?>("--epochs")
        {
            Description = "With --model RUN (kept with run.keep_every_generator): the mean of G of these epochs, both included",
            HelpName = "FROM-TO",
        };
        var noiseScale = new Option<string?>("--noise-scale")
        {
            Description = "The noise scale (temperature) generate and evaluate use for this model when not asked for another; " +
                          "as generate takes it, e.g. 0.85,pitch=0.6 " + CliOptions.Default("the model's own, else 1"),
            HelpName = "SCALES",
        };
        var topP = SamplingRequest.TopPOption();
        topP.Description = "The top-p generate and evaluate use for this model when not asked for another; as generate takes it, e.g. velocity=0.97 " +
                           CliOptions.Default("the model's own, else 1");
        var command = new Command("export", "Write a trained G alone, for sharing or as the bundled model") { model, output, half, provenance, epochs, noiseScale, topP };
        command.SetAction(parse =>
        {
            string[] sources = parse.GetValue(model)!;
            if (parse.GetValue(epochs) is { } range) sources = EpochGenerators(sources, range);
            string target = parse.GetValue(output)!;
            foreach (string source in sources)
                if (!Directory.Exists(source) && !File.Exists(source)) throw new UsageException($"--model {source}: no such run folder or checkpoint");
            Output.OutputPaths.RequireFolderOf(target, "--out");
            var sampling = SamplingRequest.Read(parse.GetValue(noiseScale), parse.GetValue(topP));
            using var trained = Load(sources);
            var scale = sampling.For(trained);
            string text = parse.GetValue(provenance)
                ?? (sources.Length > 1 ? trained.Provenance : $"exported from {trained.CheckpointPath} after {trained.EpochsTrained} epochs");
            trained.Export(target, parse.GetValue(half), text, scale);
            context.Console.WriteLine($"wrote {target} ({new FileInfo(target).Length / 1024.0 / 1024:F1} MiB, {(parse.GetValue(half) ? "half" : "single")} precision" +
                                      $"{(!scale.IsOne ? $", sampled at noise scale {scale}" : "")})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string[] EpochGenerators(string[] runs, string range)
    {
        if (runs.Length != 1 || !Directory.Exists(runs[0])) throw new UsageException("--epochs needs --model to be one run folder");
        string[] ends = range.Split('-');
        if (ends.Length > 2 || !int.TryParse(ends[0], out int from) || !int.TryParse(ends[^1], out int to) || from < 1 || to < from)
            throw new UsageException($"--epochs {range}: expected FROM-TO, two epochs with FROM at least 1 and not after TO (or one epoch)");
        string[] paths = Enumerable.Range(from, to - from + 1).Select(epoch => RunFolderLayout.EpochGeneratorPath(runs[0], epoch)).ToArray();
        foreach (string path in paths)
            if (!File.Exists(path)) throw new UsageException($"--epochs {range}: {path} does not exist (was the run trained with run.keep_every_generator, and that far?)");
        return paths;
    }

    private static TrainedModel Load(string[] sources)
    {
        if (sources.Length == 1) return TrainedModel.Load(sources[0]);
        var models = new List<TrainedModel>();
        try
        {
            foreach (string source in sources) models.Add(TrainedModel.Load(source));
            return TrainedModel.Average(models);
        }
        finally
        {
            foreach (var loaded in models) loaded.Dispose();
        }
    }
}
