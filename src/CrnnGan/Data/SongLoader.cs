using System.Security.Cryptography;
using CrnnGan.Midi;

namespace CrnnGan.Data;

/// <summary>The outcome of reading one file: the song, or why it could not be read.</summary>
public sealed record LoadedFile(string Path, string? ContentHash, MidiSong? Song, string? Error)
{
    public bool Succeeded => Song is not null;
}

/// <summary>Reads many MIDI files in parallel. Never throws for a bad file: its error is recorded instead.</summary>
public static class SongLoader
{
    public static IReadOnlyList<LoadedFile> LoadAll(IReadOnlyList<string> paths, int? parallelism = null, IProgress<int>? filesDone = null)
    {
        var results = new LoadedFile[paths.Count];
        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount };
        Parallel.For(0, paths.Count, options, i =>
        {
            results[i] = Load(paths[i]);
            filesDone?.Report(Interlocked.Increment(ref done));
        });
        return results;
    }

    public static LoadedFile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new LoadedFile(path, null, null, $"cannot open: {e.Message}");
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        try
        {
            return new LoadedFile(path, hash, MidiFileReader.Read(bytes, path), null);
        }
        catch (MidiReadException e)
        {
            return new LoadedFile(path, hash, null, e.Reason);
        }
    }
}
