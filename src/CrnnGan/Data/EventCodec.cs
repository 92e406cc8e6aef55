using CrnnGan.Midi;

namespace CrnnGan.Data;

/// <summary>
/// Converts notes to the paper's event sequence and back.
/// Notes are ordered by start tick, ties by pitch. Each event's time is measured from the start of the previous
/// event; the first event's time is measured from the song's tick 0, so decoding restores absolute start ticks
/// (leading silence included). With more than one tone per cell, up to that many notes starting on the same tick
/// share an event in ascending pitch; further simultaneous notes open a new event with time 0.
/// Channels and tracks are dropped, and with them the percussion channel's notes; a pitch started more than once at
/// one tick is one note (<see cref="NoteCleaning"/>), as decoding also makes it.
/// </summary>
public static class EventCodec
{
    public static EncodedSong Encode(MidiSong song, int tonesPerCell = 1)
    {
        ArgumentNullException.ThrowIfNull(song);
        return Encode(song.Notes, song.TicksPerQuarter, tonesPerCell, song.SourceName);
    }

    public static EncodedSong Encode(IReadOnlyList<Note> notes, int ticksPerQuarter, int tonesPerCell = 1, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ticksPerQuarter);
        int featureCount = EventLayout.FeatureCount(tonesPerCell);
        int timeIndex = EventLayout.TimeIndex(tonesPerCell);
        double toNormalizedTicks = (double)EventLayout.NormalizedTicksPerQuarter / ticksPerQuarter;

        Note[] ordered = NoteCleaning.MergeSameStart(NoteCleaning.WithoutPercussion(notes), byChannel: false)
            .OrderBy(n => n.StartTick).ThenBy(n => n.Pitch).ThenBy(n => n.LengthTicks).ThenBy(n => n.Velocity)
            .ToArray();
        if (ordered.Length > 0 && ordered[0].StartTick < 0)
            throw new ArgumentException($"Note starts at negative tick {ordered[0].StartTick}.", nameof(notes));

        var values = new float[CountEvents(ordered, tonesPerCell) * featureCount];
        int eventStart = -featureCount;
        int tone = tonesPerCell;
        long previousStartTick = 0;
        for (int i = 0; i < ordered.Length; i++)
        {
            Note note = ordered[i];
            if (OpensEvent(ordered, i, tone, tonesPerCell))
            {
                eventStart += featureCount;
                tone = 0;
                values[eventStart + timeIndex] = (float)((note.StartTick - previousStartTick) * toNormalizedTicks);
                previousStartTick = note.StartTick;
            }
            values[eventStart + EventLayout.LengthIndex(tone)] = (float)(note.LengthTicks * toNormalizedTicks);
            values[eventStart + EventLayout.FrequencyIndex(tone)] = (float)Tuning.PitchToFrequency(note.Pitch);
            values[eventStart + EventLayout.IntensityIndex(tone)] = note.Velocity;
            tone++;
        }
        return new EncodedSong(tonesPerCell, values, sourceName);
    }

    /// <summary>
    /// Notes at <see cref="EventLayout.NormalizedTicksPerQuarter"/> ticks per quarter, channel 0, track 0.
    /// Start ticks are the rounded running sum of event times (negative times count as 0); lengths are rounded.
    /// A tone gives no note if its rounded intensity is below 1 or its rounded length is not positive;
    /// otherwise velocity is clamped to 1..127 and pitch is the nearest MIDI pitch of its frequency. A pitch that two
    /// tones start at one tick is one note (<see cref="NoteCleaning.MergeSameStart"/>).
    /// </summary>
    public static List<Note> Decode(EncodedSong song)
    {
        ArgumentNullException.ThrowIfNull(song);
        int timeIndex = EventLayout.TimeIndex(song.TonesPerCell);
        var notes = new List<Note>(song.EventCount * song.TonesPerCell);
        double start = 0;
        for (int e = 0; e < song.EventCount; e++)
        {
            ReadOnlySpan<float> values = song.Event(e);
            float time = values[timeIndex];
            if (time > 0)
                start += time;
            long startTick = RoundToTick(start);
            for (int tone = 0; tone < song.TonesPerCell; tone++)
            {
                if (TryDecodeTone(values, tone, startTick, out Note note))
                    notes.Add(note);
            }
        }
        var merged = NoteCleaning.MergeSameStart(notes);
        return merged as List<Note> ?? [.. merged];
    }

    private static bool TryDecodeTone(ReadOnlySpan<float> values, int tone, long startTick, out Note note)
    {
        note = default;
        double velocity = Math.Round((double)values[EventLayout.IntensityIndex(tone)], MidpointRounding.AwayFromZero);
        long length = RoundToTick(values[EventLayout.LengthIndex(tone)]);
        if (!(velocity >= 1) || length <= 0)
            return false;
        int pitch = Tuning.FrequencyToPitch(values[EventLayout.FrequencyIndex(tone)]);
        note = new Note(startTick, length, pitch, (int)Math.Min(velocity, 127));
        return true;
    }

    private static long RoundToTick(double ticks) =>
        double.IsNaN(ticks) ? 0 : (long)Math.Round(ticks, MidpointRounding.AwayFromZero);

    private static bool OpensEvent(Note[] ordered, int index, int tonesInCurrentEvent, int tonesPerCell) =>
        index == 0
        || tonesInCurrentEvent == tonesPerCell
        || ordered[index].StartTick != ordered[index - 1].StartTick;

    private static int CountEvents(Note[] ordered, int tonesPerCell)
    {
        int events = 0;
        int tone = tonesPerCell;
        for (int i = 0; i < ordered.Length; i++)
        {
            if (OpensEvent(ordered, i, tone, tonesPerCell))
            {
                events++;
                tone = 0;
            }
            tone++;
        }
        return events;
    }
}
