using CrnnGan.Data;
using CrnnGan.Midi;

namespace CrnnGan.Generation;

/// <summary>Why a MIDI file cannot prime G; the message names the file.</summary>
public sealed class PrimeException(string path, string reason) : Exception($"prime {path}: {reason}")
{
    public string PrimePath { get; } = path;
    public string Reason { get; } = reason;
}

/// <summary>
/// The beginning of a piece that G continues (<see cref="PrimedSampler"/>): its first events, encoded exactly as training
/// encodes real music (<see cref="EventCodec"/>), and the notes those events decode to (384 ticks per quarter), which are
/// the notes a continuation is written after.
/// </summary>
/// <param name="LastOnsetTick">Where the prime's last event starts (384 ticks per quarter): the continuation's first
/// event's time is counted from there, as every event's time is counted from the previous event's start.</param>
/// <param name="TempoBpm">The prime's most common tempo over its events (<see cref="SongTempo.Of"/>).</param>
/// <param name="EventsInFile">Events the whole file encodes to.</param>
public sealed record SongPrime(string Path, EncodedSong Events, IReadOnlyList<Note> Notes, long LastOnsetTick, double TempoBpm, int EventsInFile)
{
    /// <summary>The most events a prime may have when asked for explicitly.</summary>
    public const int MaxEvents = Training.TrainingConfig.MaxLength;

    public int EventCount => Events.EventCount;

    /// <summary>Reads <paramref name="path"/> and takes its first <paramref name="events"/> events; by default (null) all of
    /// them, but at most <paramref name="defaultMaxEvents"/> (the model's training length: what G has learnt to carry).</summary>
    /// <exception cref="PrimeException">The file cannot be read, is empty, holds no notes, or has fewer events than asked for.</exception>
    public static SongPrime Read(string path, int tonesPerCell, int? events, int defaultMaxEvents)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new PrimeException(path, "is a folder; give one MIDI file");
        if (!File.Exists(path)) throw new PrimeException(path, "no such file");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PrimeException(path, $"cannot be read: {e.Message}");
        }
        if (bytes.Length == 0) throw new PrimeException(path, "the file is empty (0 bytes)");
        MidiSong song;
        try
        {
            song = MidiFileReader.Read(bytes, path);
        }
        catch (MidiReadException e)
        {
            throw new PrimeException(path, $"cannot be read as MIDI: {e.Reason}");
        }
        return FromSong(song, path, tonesPerCell, events, defaultMaxEvents);
    }

    /// <summary>As <see cref="Read"/>, of a song read already.</summary>
    public static SongPrime FromSong(MidiSong song, string path, int tonesPerCell, int? events, int defaultMaxEvents)
    {
        ArgumentNullException.ThrowIfNull(song);
        if (events is < 1 or > MaxEvents) throw new ArgumentOutOfRangeException(nameof(events), events, $"a prime has 1 to {MaxEvents} events");
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultMaxEvents, 1);
        var encoded = EventCodec.Encode(song, tonesPerCell);
        if (encoded.EventCount == 0)
            throw new PrimeException(path, song.Notes.Count > 0
                ? "holds only percussion notes (MIDI channel 10), which crnngan leaves out: no notes to continue"
                : "holds no notes to continue");
        if (events > encoded.EventCount)
            throw new PrimeException(path, $"has {encoded.EventCount} events (notes, or notes starting together), fewer than the {events} asked for");
        int taken = events ?? Math.Min(encoded.EventCount, defaultMaxEvents);
        var primeEvents = new EncodedSong(tonesPerCell, encoded.Values[..(taken * encoded.FeatureCount)], path);
        var notes = EventCodec.Decode(primeEvents);
        long endTick = notes.Count == 0 ? 0 : notes.Max(n => n.EndTick);
        double tempo = SongTempo.Of(song, (long)Math.Ceiling(endTick * (double)song.TicksPerQuarter / EventLayout.NormalizedTicksPerQuarter));
        return new SongPrime(path, primeEvents, notes, LastOnset(primeEvents), tempo, encoded.EventCount);
    }

    /// <summary>The last event's start tick, as <see cref="EventCodec.Decode"/> places it.</summary>
    private static long LastOnset(EncodedSong events)
    {
        int timeIndex = EventLayout.TimeIndex(events.TonesPerCell);
        double start = 0;
        for (int e = 0; e < events.EventCount; e++)
        {
            float time = events.Event(e)[timeIndex];
            if (time > 0) start += time;
        }
        return double.IsNaN(start) ? 0 : (long)Math.Round(start, MidpointRounding.AwayFromZero);
    }
}
