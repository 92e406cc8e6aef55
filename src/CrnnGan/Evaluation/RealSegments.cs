using CrnnGan.Data;
using CrnnGan.Midi;

namespace CrnnGan.Evaluation;

/// <summary>
/// Cuts real songs into segments of the same number of events as generated songs, so the statistics of both
/// sides measure pieces of equal size (a whole symphony spans more tones than any 100-event excerpt).
/// </summary>
public static class RealSegments
{
    /// <summary>
    /// Non-overlapping windows of <paramref name="events"/> events from each song (a song shorter than that gives
    /// none), at most <paramref name="maxPerSong"/> per song chosen with <paramref name="seed"/>, decoded back to notes.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Note>> Cut(IEnumerable<MidiSong> songs, int events, int tonesPerCell = 1, int maxPerSong = 10, int seed = 0) =>
        CutBySong(songs, events, tonesPerCell, maxPerSong, seed).SelectMany(s => s).ToList();

    /// <summary>As <see cref="Cut"/>, each song's segments apart (an empty list for a song too short for one).</summary>
    public static IReadOnlyList<IReadOnlyList<IReadOnlyList<Note>>> CutBySong(IEnumerable<MidiSong> songs, int events, int tonesPerCell = 1,
        int maxPerSong = 10, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(songs);
        return CutEncodedBySong(songs.Select(song => EventCodec.Encode(song, tonesPerCell)), events, maxPerSong, seed);
    }

    /// <summary>As <see cref="Cut"/>, for songs already encoded (e.g. a run's validation songs, unscaled).</summary>
    public static IReadOnlyList<IReadOnlyList<Note>> CutEncoded(IEnumerable<EncodedSong> songs, int events, int maxPerSong = 10, int seed = 0) =>
        CutEncodedBySong(songs, events, maxPerSong, seed).SelectMany(s => s).ToList();

    /// <summary>As <see cref="CutEncoded"/>, each song's segments apart.</summary>
    public static IReadOnlyList<IReadOnlyList<IReadOnlyList<Note>>> CutEncodedBySong(IEnumerable<EncodedSong> songs, int events, int maxPerSong, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerSong, 1);
        var random = new Random(seed);
        var bySong = new List<IReadOnlyList<IReadOnlyList<Note>>>();
        foreach (var song in songs)
        {
            var windows = Windows(song, events).ToArray();
            var chosen = Enumerable.Range(0, windows.Length).ToArray();
            random.Shuffle(chosen);
            bySong.Add(chosen.Take(maxPerSong).Order().Select(i => (IReadOnlyList<Note>)EventCodec.Decode(windows[i])).ToList());
        }
        return bySong;
    }

    /// <summary>Consecutive non-overlapping windows from the start (the remainder is dropped), each starting at its own first onset.</summary>
    public static IEnumerable<EncodedSong> Windows(EncodedSong song, int events)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1);
        int valuesPerWindow = events * song.FeatureCount;
        for (int start = 0; start + events <= song.EventCount; start += events)
        {
            float[] values = song.Values.AsSpan(start * song.FeatureCount, valuesPerWindow).ToArray();
            values[EventLayout.TimeIndex(song.TonesPerCell)] = 0;
            yield return new EncodedSong(song.TonesPerCell, values, song.SourceName);
        }
    }
}
