using System.Diagnostics;
using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Midi;

namespace CrnnGan.Cli.Stats;

/// <summary>Computes the statistics of MIDI files (in parallel, on all cores) or of songs already in memory.</summary>
public static class StatsCollector
{
    public static StatsReport FromFiles(IReadOnlyList<InputFile> files, IProgress<int>? filesDone = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var statistics = new SongStatistics?[files.Count];
        var errors = new string?[files.Count];
        int done = 0;
        // Each song is dropped once its statistics are computed, so a large corpus never sits in memory at once
        // (which SongLoader.LoadAll would do).
        Parallel.For(0, files.Count, i =>
        {
            LoadedFile loaded = SongLoader.Load(files[i].FullPath);
            if (loaded.Song is null)
                errors[i] = loaded.Error ?? "unreadable";
            else
                statistics[i] = SongStatistics.Compute(loaded.Song);
            filesDone?.Report(Interlocked.Increment(ref done));
        });

        var songs = new List<SongStatisticsEntry>();
        var unreadable = new List<SkippedFile>();
        for (int i = 0; i < files.Count; i++)
        {
            if (errors[i] is { } error)
                unreadable.Add(new SkippedFile(files[i].Path, error));
            else
                songs.Add(new SongStatisticsEntry(files[i].Name, files[i].Path, statistics[i]));
        }
        return new StatsReport(IsSynthetic: false, songs, unreadable, stopwatch.Elapsed);
    }

    /// <param name="writtenPaths">Where each song was written, if it was; otherwise its source name stands for its path.</param>
    public static StatsReport FromSyntheticSongs(IReadOnlyList<MidiSong> songs, IReadOnlyList<string>? writtenPaths = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var entries = songs
            .Select((song, i) => new SongStatisticsEntry(song.SourceName, writtenPaths?[i] ?? song.SourceName, SongStatistics.Compute(song)))
            .ToList();
        return new StatsReport(IsSynthetic: true, entries, [], stopwatch.Elapsed);
    }
}
