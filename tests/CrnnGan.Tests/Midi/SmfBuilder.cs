using System.Buffers.Binary;
using System.Text;

namespace CrnnGan.Tests.Midi;

/// <summary>Builds Standard MIDI File bytes by hand, so tests control every byte.</summary>
internal static class SmfBuilder
{
    public static byte[] Smf(int format, int ticksPerQuarter, params byte[][] tracks) =>
        Concat(Header(format, tracks.Length, ticksPerQuarter), Concat(tracks.Select(Track).ToArray()));

    public static byte[] Header(int format, int trackCount, int division)
    {
        var header = new byte[14];
        Encoding.ASCII.GetBytes("MThd").CopyTo(header, 0);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 6);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), (ushort)format);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), (ushort)trackCount);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(12), (ushort)division);
        return header;
    }

    /// <summary>An 'MTrk' chunk around the given events; appends end-of-track.</summary>
    public static byte[] Track(byte[] events) => Chunk("MTrk", Concat(events, EndOfTrack));

    public static byte[] Chunk(string id, byte[] body)
    {
        var chunk = new byte[8 + body.Length];
        Encoding.ASCII.GetBytes(id).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4), (uint)body.Length);
        body.CopyTo(chunk, 8);
        return chunk;
    }

    public static byte[] Events(params byte[][] events) => Concat(events);

    public static byte[] Delta(int ticks)
    {
        var bytes = new List<byte> { (byte)(ticks & 0x7F) };
        for (ticks >>= 7; ticks > 0; ticks >>= 7)
            bytes.Insert(0, (byte)(0x80 | (ticks & 0x7F)));
        return bytes.ToArray();
    }

    public static byte[] On(int delta, int pitch, int velocity, int channel = 0) =>
        Concat(Delta(delta), [(byte)(0x90 | channel), (byte)pitch, (byte)velocity]);

    public static byte[] Off(int delta, int pitch, int channel = 0) =>
        Concat(Delta(delta), [(byte)(0x80 | channel), (byte)pitch, 64]);

    /// <summary>An event with no status byte: relies on running status.</summary>
    public static byte[] Running(int delta, int data1, int data2) => Concat(Delta(delta), [(byte)data1, (byte)data2]);

    public static byte[] Tempo(int delta, int microsecondsPerQuarter) =>
        Concat(Delta(delta), [0xFF, 0x51, 0x03, (byte)(microsecondsPerQuarter >> 16), (byte)(microsecondsPerQuarter >> 8), (byte)microsecondsPerQuarter]);

    public static byte[] TimeSignature(int delta, int numerator, int denominatorPower) =>
        Concat(Delta(delta), [0xFF, 0x58, 0x04, (byte)numerator, (byte)denominatorPower, 24, 8]);

    public static byte[] Meta(int delta, byte type, params byte[] payload) =>
        Concat(Delta(delta), [0xFF, type, (byte)payload.Length], payload);

    public static readonly byte[] EndOfTrack = [0x00, 0xFF, 0x2F, 0x00];

    /// <summary>Wraps SMF bytes in a RIFF 'RMID' container, with an unrelated chunk before 'data'.</summary>
    public static byte[] Rmid(byte[] smf)
    {
        byte[] info = RiffChunk("INFO", Encoding.ASCII.GetBytes("abc")); // odd size: exercises word alignment
        byte[] body = Concat(Encoding.ASCII.GetBytes("RMID"), info, RiffChunk("data", smf));
        return RiffChunk("RIFF", body);
    }

    private static byte[] RiffChunk(string id, byte[] body)
    {
        var chunk = new byte[8 + body.Length + (body.Length & 1)];
        Encoding.ASCII.GetBytes(id).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)body.Length);
        body.CopyTo(chunk, 8);
        return chunk;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
