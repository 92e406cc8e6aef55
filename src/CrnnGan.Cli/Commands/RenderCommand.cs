using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrnnGan.Audio;
using CrnnGan.Midi;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan render FILE.mid</c>: a quick listen, rendered to a WAV file by the built-in synthesiser.</summary>
public static class RenderCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The MIDI file to render" };
        var output = new Option<string?>("--out", "-o")
        {
            Description = $"The WAV file to write, or a folder for it {CliOptions.Default("FILE with .wav in place of .mid")}",
            HelpName = "FILE",
        };
        var mono = new Option<bool>("--mono") { Description = "One channel instead of stereo (where notes spread from left to right by pitch)" };

        var command = new Command("render", "Render a MIDI file to a WAV file with a simple built-in synthesiser, as a preview")
        {
            file, output, mono,
        };
        command.SetAction(parse => Run(context, parse.GetValue(file)!, parse.GetValue(output), parse.GetValue(mono)));
        return command;
    }

    private static int Run(CliContext context, string midiPath, string? outPath, bool mono)
    {
        if (!File.Exists(midiPath))
            throw new UsageException(Directory.Exists(midiPath) ? $"{midiPath} is a folder; render takes one MIDI file" : $"{midiPath}: no such file");
        string wavPath = WavPath(midiPath, outPath);
        CrnnGan.Cli.Output.OutputPaths.RequireFolderOf(wavPath, outPath is null ? "FILE" : "--out");

        var song = MidiFileReader.Read(midiPath);
        int percussion = song.Notes.Count(note => note.Channel == SongRenderer.PercussionChannel);
        if (song.Notes.Count == percussion)
        {
            context.WriteError(percussion == 0
                ? $"{midiPath}: the file holds no notes, so there is nothing to render"
                : $"{midiPath}: the file holds only percussion notes (MIDI channel 10), which render leaves out");
            return ExitCodes.Failure;
        }

        var clock = Stopwatch.StartNew();
        var result = SongRenderer.RenderToFile(song, wavPath, new RenderSettings { Channels = mono ? 1 : 2 });
        string skipped = result.PercussionNotesSkipped > 0 ? $" ({result.PercussionNotesSkipped} percussion notes left out)" : "";
        context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {wavPath}: {Duration(result.Seconds)}, {(result.Channels == 1 ? "mono" : "stereo")} {result.SampleRate / 1000.0:0.0} kHz 16-bit, " +
            $"{result.NotesRendered} notes{skipped}; rendered in {clock.Elapsed.TotalSeconds:0.00} s"));
        return ExitCodes.Success;
    }

    private static string WavPath(string midiPath, string? outPath)
    {
        string name = Path.ChangeExtension(Path.GetFileName(midiPath), ".wav");
        if (outPath is null)
            return Path.Combine(Path.GetDirectoryName(midiPath) ?? "", name);
        return Directory.Exists(outPath) ? Path.Combine(outPath, name) : outPath;
    }

    /// <summary>"3:02.4": minutes and seconds to a tenth.</summary>
    private static string Duration(double seconds)
    {
        long tenths = (long)Math.Round(seconds * 10);
        return string.Create(CultureInfo.InvariantCulture, $"{tenths / 600}:{tenths % 600 / 10.0:00.0}");
    }
}
