namespace CrnnGan.Midi;

/// <summary>
/// Reads Standard MIDI Files (format 0, 1 and 2, optionally RIFF/RMID wrapped) into a <see cref="MidiSong"/>.
/// Every failure surfaces as a <see cref="MidiReadException"/> naming the file.
/// </summary>
/// <remarks>
/// Uses its own lenient parser (<see cref="SmfParser"/>) rather than NAudio's, which rejects common
/// real-world defects such as out-of-range key signatures and garbage after the last track.
/// Format 2 tracks are independent sequences and are laid out one after another.
/// SMPTE-timed files are mapped to ticks per quarter = ticks per second at a fixed 60 BPM.
/// </remarks>
public static class MidiFileReader
{
    private const int SmpteMicrosecondsPerQuarter = 1_000_000;

    public static MidiSong Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e)
        {
            throw new MidiReadException(path, $"cannot read file: {e.Message}", e);
        }
        return Read(data, path);
    }

    public static MidiSong Read(byte[] data, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sourceName);
        try
        {
            return ToSong(SmfParser.Parse(data), sourceName);
        }
        catch (InvalidDataException e)
        {
            throw new MidiReadException(sourceName, e.Message, e);
        }
        catch (Exception e)
        {
            throw new MidiReadException(sourceName, $"unexpected error: {e.Message}", e);
        }
    }

    private static MidiSong ToSong(SmfFile file, string sourceName)
    {
        int ticksPerQuarter = file.Division.Ticks;
        var notes = new List<Note>();
        var tempos = new List<TempoChange>();
        var timeSignatures = new List<TimeSignatureChange>();

        long offset = 0;
        for (int t = 0; t < file.Tracks.Count; t++)
        {
            var track = file.Tracks[t];
            NotePairer.Pair(track.NoteMessages, t, offset, ticksPerQuarter, notes);
            tempos.AddRange(track.Tempos.Select(x => x with { Tick = x.Tick + offset }));
            timeSignatures.AddRange(track.TimeSignatures.Select(x => x with { Tick = x.Tick + offset }));
            if (file.Format == 2)
                offset += track.EndTick;
        }

        if (file.Division.IsSmpte)
            tempos = [new TempoChange(0, SmpteMicrosecondsPerQuarter)];

        return new MidiSong(
            sourceName,
            file.Format,
            ticksPerQuarter,
            notes.OrderBy(n => n.StartTick).ThenBy(n => n.Pitch).ThenBy(n => n.Channel).ThenBy(n => n.Track).ThenBy(n => n.LengthTicks).ToArray(),
            tempos.OrderBy(x => x.Tick).ToArray(),
            timeSignatures.OrderBy(x => x.Tick).ToArray());
    }
}
