using CrnnGan.Cli.Output;
using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Reports;
using CrnnGan.Midi;
using Spectre.Console;

namespace CrnnGan.Cli.Compare;

/// <summary>Where <c>compare</c> gets real music: the runs' own reference_stats.json, or a folder of MIDI files.</summary>
public static class RealMusicSources
{
    /// <summary>Each distinct reference of the runs and models once; those that share their training music share one.</summary>
    public static IReadOnlyList<RealMusic> OfRuns(IAnsiConsole console, IReadOnlyList<RunResult> runs)
    {
        foreach (var run in runs.Where(r => r.Reference is null))
            console.WriteLine(run.Kind == "run"
                ? $"note: {run.Folder} has no {ReferenceStatistics.FileName} (an older run); give --real DIR to compare it with real music"
                : $"note: no statistics of {run.Name}'s training music found beside {run.Folder}; give --real DIR to compare it with real music");
        var distinct = runs.Where(r => r.Reference is not null)
            .GroupBy(r => (r.Reference!.Source, r.Reference.EventsPerWindow, r.Reference.TonesPerCell, r.Reference.Windows))
            .ToList();
        return distinct.Select(group => new RealMusic(
            distinct.Count == 1 ? "real music" : $"real music of {string.Join(", ", group.Select(r => r.Name))}",
            group.First().Reference!)).ToList();
    }

    /// <summary>
    /// The MIDI files under <paramref name="folder"/> cut into windows as long as each run's songs
    /// (one reference per distinct length and tones per event among the runs).
    /// </summary>
    public static IReadOnlyList<RealMusic> FromFolder(IAnsiConsole console, string folder, IReadOnlyList<RunResult> runs)
    {
        var files = MidiFileFinder.Find(folder);
        var loaded = SongLoader.LoadAll(files);
        var songs = loaded.Where(f => f.Song is not null).Select(f => f.Song!).ToList();
        int unreadable = loaded.Count - songs.Count;
        if (songs.Count == 0)
            throw new InvalidDataException($"--real {folder}: no readable MIDI files ({Counted.Of(files.Count, "file")} found, {unreadable} unreadable)");

        var shapes = runs.Select(r => (r.EventsPerSong, r.TonesPerCell)).Distinct().ToList();
        var real = new List<RealMusic>();
        foreach (var (events, tones) in shapes)
        {
            var statistics = ReferenceStatistics.FromSongs(folder, songs, tones, events);
            console.WriteLine($"real music: {Counted.Of(statistics.WindowsWithNotes, "window")} of {events} events cut from " +
                              $"{statistics.SongsWithWindows} of {Counted.Of(songs.Count, "song")} in {folder} " +
                              $"({statistics.Songs - statistics.SongsWithWindows} shorter than {events} events" +
                              $"{(unreadable > 0 ? $", {unreadable} unreadable files skipped" : "")})");
            string name = shapes.Count == 1 ? "real music" : $"real music ({events} events, {Counted.Of(tones, "tone")} per event)";
            real.Add(new RealMusic(name, statistics));
        }
        return real;
    }
}
