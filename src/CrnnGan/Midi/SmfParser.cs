using System.Buffers.Binary;
using System.Text;

namespace CrnnGan.Midi;

/// <summary>A note-on or note-off message as found in a track, at an absolute tick.</summary>
internal readonly record struct NoteMessage(long Tick, int Channel, int Pitch, int Velocity, bool IsOn);

internal sealed record SmfTrack(
    IReadOnlyList<NoteMessage> NoteMessages,
    IReadOnlyList<TempoChange> Tempos,
    IReadOnlyList<TimeSignatureChange> TimeSignatures,
    long EndTick);

/// <summary>
/// Time division from the header. Metrical files give ticks per quarter; SMPTE files give ticks per second,
/// which <see cref="MidiFileReader"/> maps onto a fixed 60 BPM so that one quarter equals one second.
/// </summary>
internal readonly record struct SmfDivision(int Ticks, bool IsSmpte);

internal sealed record SmfFile(int Format, SmfDivision Division, IReadOnlyList<SmfTrack> Tracks);

/// <summary>
/// A lenient Standard MIDI File parser, written for the messiness of real-world corpora:
/// RIFF/RMID wrappers, garbage after the last declared track, more tracks than the header declares,
/// data bytes above 127, and meta events with out-of-range contents (only tempo and time signature are decoded).
/// Malformed input raises <see cref="InvalidDataException"/> with a human-readable reason.
/// </summary>
internal static class SmfParser
{
    public static SmfFile Parse(byte[] data)
    {
        if (data.Length == 0)
            throw new InvalidDataException("empty file (0 bytes)");

        byte[] smf = Unwrap(data);
        var cursor = new ByteCursor(smf, 0, smf.Length);
        var (format, declaredTracks, division) = ReadHeader(ref cursor);
        var tracks = ReadTracks(ref cursor, declaredTracks);
        return new SmfFile(format, division, tracks);
    }

    /// <summary>Returns the SMF bytes, unwrapping a RIFF 'RMID' container if present.</summary>
    private static byte[] Unwrap(byte[] data)
    {
        if (!StartsWith(data, 0, "RIFF"))
            return data;
        if (data.Length < 12 || !StartsWith(data, 8, "RMID"))
            throw new InvalidDataException($"not a MIDI file: RIFF container of type '{Printable(data, 8)}'");

        long pos = 12;
        while (pos + 8 <= data.Length)
        {
            int at = (int)pos;
            long size = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 4));
            if (StartsWith(data, at, "data"))
            {
                int start = at + 8;
                int length = (int)Math.Min(size, data.Length - start);
                return data.AsSpan(start, length).ToArray();
            }
            pos += 8 + size + (size & 1); // RIFF chunks are word aligned
        }
        throw new InvalidDataException("RMID file without a 'data' chunk");
    }

    private static (int Format, int Tracks, SmfDivision Division) ReadHeader(ref ByteCursor c)
    {
        if (c.Remaining < 4 || !StartsWith(c.Data, c.Position, "MThd"))
            throw new InvalidDataException($"not a MIDI file: header is '{Printable(c.Data, c.Position)}'");
        if (c.Remaining < 14)
            throw new InvalidDataException($"truncated header ({c.Remaining} bytes)");
        c.Skip(4);
        uint headerLength = c.ReadUInt32();
        if (headerLength < 6)
            throw new InvalidDataException($"header chunk too short ({headerLength} bytes)");
        int format = c.ReadUInt16();
        int tracks = c.ReadUInt16();
        short division = (short)c.ReadUInt16();
        c.Skip((int)Math.Min(headerLength - 6, (uint)c.Remaining));

        if (format > 2)
            throw new InvalidDataException($"unsupported MIDI format {format}");
        return (format, tracks, ParseDivision(division));
    }

    private static SmfDivision ParseDivision(short division)
    {
        if (division > 0)
            return new SmfDivision(division, IsSmpte: false);
        int framesPerSecond = -(sbyte)(division >> 8);
        int ticksPerFrame = division & 0xFF;
        if (division == 0 || ticksPerFrame == 0)
            throw new InvalidDataException($"invalid time division {(ushort)division}");
        return new SmfDivision(framesPerSecond * ticksPerFrame, IsSmpte: true);
    }

    /// <summary>
    /// Reads the declared number of tracks (skipping foreign chunks), then any further well-formed 'MTrk' chunks.
    /// Whatever else follows the declared tracks is treated as trailing garbage, which is common in old files.
    /// </summary>
    private static List<SmfTrack> ReadTracks(ref ByteCursor c, int declaredTracks)
    {
        // Sized by what the data can hold (a chunk takes at least 8 bytes), never by the header's claim alone.
        var tracks = new List<SmfTrack>(Math.Min(declaredTracks, c.Remaining / 8));
        while (true)
        {
            bool allDeclaredRead = tracks.Count >= declaredTracks;
            if (c.Remaining < 8)
            {
                if (allDeclaredRead)
                    break;
                throw new InvalidDataException(
                    $"truncated file: header declares {declaredTracks} tracks, found {tracks.Count}");
            }

            bool isTrack = StartsWith(c.Data, c.Position, "MTrk");
            long length = BinaryPrimitives.ReadUInt32BigEndian(c.Data.AsSpan(c.Position + 4));
            bool fits = length <= c.Remaining - 8;
            if (allDeclaredRead && !(isTrack && fits))
                break;

            if (isTrack)
            {
                if (!fits)
                    throw new InvalidDataException(
                        $"truncated track {tracks.Count} (chunk declares {length} bytes, {c.Remaining - 8} present)");
                var body = new ByteCursor(c.Data, c.Position + 8, c.Position + 8 + (int)length);
                tracks.Add(TrackParser.Parse(ref body, tracks.Count));
            }
            else if (!IsChunkId(c.Data, c.Position) || !fits)
            {
                throw new InvalidDataException(
                    $"track {tracks.Count}: expected an 'MTrk' chunk at byte {c.Position}, found '{Printable(c.Data, c.Position)}'");
            }
            c.Skip(8 + (int)length);
        }
        return tracks;
    }

    private static bool StartsWith(byte[] data, int offset, string ascii) =>
        data.Length - offset >= ascii.Length && Encoding.ASCII.GetString(data, offset, ascii.Length) == ascii;

    private static bool IsChunkId(byte[] data, int offset) =>
        data.AsSpan(offset, 4).IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0;

    /// <summary>Up to four bytes rendered for an error message, non-printable bytes as \xNN.</summary>
    internal static string Printable(byte[] data, int offset)
    {
        var sb = new StringBuilder();
        for (int i = offset; i < Math.Min(offset + 4, data.Length); i++)
            sb.Append(data[i] is >= 0x20 and <= 0x7E ? (char)data[i] : $"\\x{data[i]:X2}");
        return sb.ToString();
    }
}
