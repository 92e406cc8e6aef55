using System.CommandLine;
using CrnnGan.Cli.Output;
using CrnnGan.Cli.Stats;
using CrnnGan.Data;
using CrnnGan.Reports;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan pianoroll FILE...</c>: a piano-roll PNG per MIDI file.</summary>
public static class PianoRollCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("FILE") { Description = "MIDI files, or folders searched recursively", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the PNG files (one per song, named after it)", HelpName = "DIR", DefaultValueFactory = _ => "." };
        var command = new Command("pianoroll", "Draw MIDI files as piano rolls: time across, pitch up, velocity as shade") { paths, output };
        command.SetAction(parse => Run(context, parse.GetValue(paths) ?? [], parse.GetValue(output)!));
        return command;
    }

    private static int Run(CliContext context, IReadOnlyList<string> paths, string output)
    {
        var inputs = StatsInputs.Resolve(paths);
        if (inputs.Files.Count == 0) throw new UsageException($"no MIDI files (.mid, .midi, .kar, .rmi) in {string.Join(", ", paths)}");
        OutputPaths.RequireCreatableFolder(output, "--out");
        if (RunPlots.FontProblem() is string problem) context.Console.WriteLine($"warning: {problem}");
        Directory.CreateDirectory(output);

        var usedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int written = 0, failed = 0;
        foreach (var file in inputs.Files)
        {
            var loaded = SongLoader.Load(file.FullPath);
            if (loaded.Song is null)
            {
                context.Console.WriteLine($"skipped {file.Path}: {loaded.Error}");
                failed++;
                continue;
            }
            string png = Path.Combine(output, UniqueName(file.Name, usedNames) + ".png");
            PianoRollChart.Save(png, file.Name, loaded.Song.Notes, loaded.Song.TicksPerQuarter);
            context.Console.WriteLine($"wrote {png} ({Output.Counted.Of(loaded.Song.Notes.Count, "note")})");
            written++;
        }
        if (failed > 0) context.Console.WriteLine($"{written} written, {failed} unreadable");
        return written > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The file's name without extension, its folders joined by '-', made unique among the names used so far.</summary>
    private static string UniqueName(string relativeName, HashSet<string> used)
    {
        string stem = Path.ChangeExtension(relativeName, null)
            .Replace(Path.DirectorySeparatorChar, '-').Replace(Path.AltDirectorySeparatorChar, '-');
        string name = stem;
        for (int n = 2; !used.Add(name); n++) name = $"{stem}-{n}";
        return name;
    }
}
