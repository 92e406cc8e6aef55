namespace CrnnGan.Midi;

/// <summary>The one exception crnngan raises for a MIDI file it cannot read.</summary>
public sealed class MidiReadException : Exception
{
    public MidiReadException(string filePath, string reason, Exception? inner = null)
        : base($"{filePath}: {reason}", inner)
    {
        FilePath = filePath;
        Reason = reason;
    }

    public string FilePath { get; }
    public string Reason { get; }
}
