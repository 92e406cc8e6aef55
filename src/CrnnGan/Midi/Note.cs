namespace CrnnGan.Midi;

/// <summary>One sounding note as read from (or written to) a MIDI file. Ticks are in the owning song's resolution.</summary>
public readonly record struct Note(long StartTick, long LengthTicks, int Pitch, int Velocity, int Channel = 0, int Track = 0)
{
    public long EndTick => StartTick + LengthTicks;
}

/// <summary>A tempo change: from <see cref="Tick"/> on, a quarter note lasts <see cref="MicrosecondsPerQuarter"/>.</summary>
public readonly record struct TempoChange(long Tick, int MicrosecondsPerQuarter)
{
    public double Bpm => 60_000_000.0 / MicrosecondsPerQuarter;
}

public readonly record struct TimeSignatureChange(long Tick, int Numerator, int Denominator);

/// <summary>Everything crnngan keeps of a MIDI file.</summary>
public sealed record MidiSong(
    string SourceName,
    int FileFormat,
    int TicksPerQuarter,
    IReadOnlyList<Note> Notes,
    IReadOnlyList<TempoChange> Tempos,
    IReadOnlyList<TimeSignatureChange> TimeSignatures);
