using CrnnGan.IO;
using NAudio.Midi;

namespace CrnnGan.Midi;

/// <summary>
/// Writes notes as a format-1 Standard MIDI File: track 0 holds tempo and a 4/4 time signature, the following
/// tracks hold the notes, spread into voices so that same-pitch overlaps survive a round trip through
/// <see cref="MidiFileReader"/>; a pitch started twice at one tick on one channel is written once
/// (<see cref="NoteCleaning.MergeSameStart"/>). <see cref="Note.Track"/> is ignored; velocities are clamped to 1..127.
/// </summary>
public static class MidiFileWriter
{
    private const int ReleaseVelocity = 64;

    public static void Write(string path, IReadOnlyList<Note> notes, int ticksPerQuarter = 384, double tempoBpm = 120)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = ToBytes(notes, ticksPerQuarter, tempoBpm);

        AtomicFile.WriteAllBytes(path, bytes);
    }

    public static byte[] ToBytes(IReadOnlyList<Note> notes, int ticksPerQuarter = 384, double tempoBpm = 120)
    {
        ArgumentNullException.ThrowIfNull(notes);
        Validate(notes, ticksPerQuarter, tempoBpm);
        notes = NoteCleaning.MergeSameStart(notes);

        var events = new MidiEventCollection(1, ticksPerQuarter);
        events.AddTrack(TempoTrack(tempoBpm));
        foreach (var voice in VoiceAllocator.Allocate(notes))
            events.AddTrack(VoiceTrack(voice));
        events.PrepareForExport();

        using var stream = new MemoryStream();
        MidiFile.Export(stream, events);
        return stream.ToArray();
    }

    private static void Validate(IReadOnlyList<Note> notes, int ticksPerQuarter, double tempoBpm)
    {
        if (ticksPerQuarter is < 1 or > short.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(ticksPerQuarter), ticksPerQuarter, "must be 1..32767");
        double microseconds = 60_000_000.0 / tempoBpm;
        if (!double.IsFinite(microseconds) || microseconds < 1 || microseconds > 0xFFFFFF)
            throw new ArgumentOutOfRangeException(nameof(tempoBpm), tempoBpm, "tempo out of the range a MIDI file can hold");

        foreach (var n in notes)
        {
            if (n.Pitch is < 0 or > 127)
                throw new ArgumentException($"pitch {n.Pitch} outside 0..127", nameof(notes));
            if (n.Channel is < 0 or > 15)
                throw new ArgumentException($"channel {n.Channel} outside 0..15", nameof(notes));
            if (n.StartTick < 0 || n.LengthTicks < 0)
                throw new ArgumentException($"note at tick {n.StartTick} with length {n.LengthTicks}: both must be >= 0", nameof(notes));
        }
    }

    private static List<MidiEvent> TempoTrack(double tempoBpm) =>
    [
        new TempoEvent((int)Math.Round(60_000_000.0 / tempoBpm), 0),
        new TimeSignatureEvent(0, 4, 2, 24, 8),
    ];

    /// <summary>
    /// Events for one voice. Within a tick: offs of sounding notes, then ons (shorter notes first), then the offs
    /// of zero-length notes, so that first-in first-out pairing on reading gives each note its own end.
    /// </summary>
    private static List<MidiEvent> VoiceTrack(List<Note> voice)
    {
        var timed = new List<(long Tick, int Phase, int Order, MidiEvent Event)>(voice.Count * 2);
        for (int i = 0; i < voice.Count; i++)
        {
            var n = voice[i];
            int channel = n.Channel + 1; // NAudio channels are 1-based
            int velocity = Math.Clamp(n.Velocity, 1, 127);
            timed.Add((n.StartTick, 1, i, new NoteEvent(n.StartTick, channel, MidiCommandCode.NoteOn, n.Pitch, velocity)));
            timed.Add((n.EndTick, n.LengthTicks == 0 ? 2 : 0, i,
                new NoteEvent(n.EndTick, channel, MidiCommandCode.NoteOff, n.Pitch, ReleaseVelocity)));
        }
        // NAudio's export sort is stable by time, so this order within a tick is kept.
        return timed.OrderBy(e => e.Tick).ThenBy(e => e.Phase).ThenBy(e => e.Order).Select(e => e.Event).ToList();
    }
}
