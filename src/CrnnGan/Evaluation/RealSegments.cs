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
    public static IReadOnlyList<IReadOnlyList<Note>> Cut(IEnumerable<MidiSong> songs, int events, int tonesPerCell = 1, int maxPerSong = 10, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerSong, 1);
        var random = new Random(seed);
        var segments = new List<IReadOnlyList<Note>>();
        foreach (var song in songs)
        {
            var encoded = EventCodec.Encode(song, tonesPerCell);
            int windows = encoded.EventCount / events;
            var starts = Enumerable.Range(0, windows).Select(w => w * events).ToArray();
            random.Shuffle(starts);
            foreach (int start in starts.Take(maxPerSong).Order())
                segments.Add(Window(encoded, start, events));
        }
        return segments;
    }

    private static IReadOnlyList<Note> Window(EncodedSong song, int start, int events)
    {
        float[] values = song.Values.AsSpan(start * song.FeatureCount, events * song.FeatureCount).ToArray();
        values[EventLayout.TimeIndex(song.TonesPerCell)] = 0; // the window starts at its own first onset
        return EventCodec.Decode(new EncodedSong(song.TonesPerCell, values, song.SourceName));
    }
}
