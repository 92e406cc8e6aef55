using System.Text.Json;
using CrnnGan.Data;
using CrnnGan.IO;
using CrnnGan.Midi;

namespace CrnnGan.Evaluation;

/// <summary>
/// The statistics of real music as G sees it: songs cut into non-overlapping windows of as many events as G's
/// samples, each window decoded back to notes and measured like one of G's songs. <see cref="Means"/> holds the mean
/// of every statistic (by name) over the windows with notes. A run keeps it in <see cref="FileName"/>.
/// </summary>
public sealed record ReferenceStatistics(
    string Source,
    int Songs,
    int SongsWithWindows,
    int Windows,
    int WindowsWithNotes,
    int EventsPerWindow,
    int TonesPerCell,
    IReadOnlyDictionary<string, double> Means)
{
    public const string FileName = "reference_stats.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <param name="songs">Unscaled encoded songs; songs shorter than one window add nothing.</param>
    public static ReferenceStatistics FromEncoded(string source, IReadOnlyList<EncodedSong> songs, int eventsPerWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(eventsPerWindow, 1);
        int tonesPerCell = songs.Count > 0 ? songs[0].TonesPerCell : 1;
        var windows = songs.SelectMany(song => RealSegments.Windows(song, eventsPerWindow)).ToList();
        int songsWithWindows = songs.Count(song => song.EventCount >= eventsPerWindow);
        var statistics = windows.AsParallel().AsOrdered()
            .Select(window => SongStatistics.Compute(EventCodec.Decode(window)))
            .OfType<SongStatistics>()
            .ToList();
        var summary = StatisticsSummary.Summarize(statistics);
        return new ReferenceStatistics(source, songs.Count, songsWithWindows, windows.Count, statistics.Count, eventsPerWindow, tonesPerCell,
            summary.Statistics.ToDictionary(s => s.Name, s => s.Mean));
    }

    /// <summary>The statistics of <paramref name="songs"/> encoded with <paramref name="tonesPerCell"/> tones per event.</summary>
    public static ReferenceStatistics FromSongs(string source, IReadOnlyList<MidiSong> songs, int tonesPerCell, int eventsPerWindow)
    {
        var encoded = songs.AsParallel().AsOrdered().Select(song => EventCodec.Encode(song, tonesPerCell)).ToList();
        return FromEncoded(source, encoded, eventsPerWindow);
    }

    public double? Mean(string statistic) => Means.TryGetValue(statistic, out double value) ? value : null;

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>The reference stored at <paramref name="path"/>, or null when there is no such file.</summary>
    public static ReferenceStatistics? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<ReferenceStatistics>(File.ReadAllText(path), JsonOptions)
                   ?? throw new InvalidDataException($"{path}: empty reference statistics");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid reference statistics: {e.Message}", e);
        }
    }
}
