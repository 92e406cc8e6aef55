using System.Diagnostics;
using CrnnGan.Data;

namespace CrnnGan.Bench;

/// <summary>
/// Corpus ingest as training does it: every MIDI file below a folder read by <see cref="SongLoader.LoadAll"/>
/// (all cores) and encoded to the paper's events (one tone per cell). The peer is bench/peers/mido_ingest.py.
/// </summary>
internal static class IngestBench
{
    public static int Run(string folder)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var files = MidiFileFinder.Find(folder);
        var loaded = SongLoader.LoadAll(files);
        long notes = 0, events = 0;
        int read = 0;
        foreach (var file in loaded)
        {
            if (file.Song is not { } song) continue;
            read++;
            notes += song.Notes.Count;
            events += EventCodec.Encode(song, 1).EventCount;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        Console.WriteLine($"{files.Count} files, {read} read ({files.Count - read} unreadable), {notes} notes, {events} events, " +
                          $"{seconds:F2} s on {Environment.ProcessorCount} cores ({read / seconds:F0} files/s), {cpuSeconds:F2} CPU s");
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT files={files.Count} read={read} notes={notes} events={events} seconds={seconds:F3} cpu_seconds={cpuSeconds:F3} threads={Environment.ProcessorCount}"));
        return read > 0 ? 0 : 1;
    }
}
