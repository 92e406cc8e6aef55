using System.Buffers.Binary;
using System.Text;

namespace CrnnGan.Audio;

/// <summary>The 44-byte header of a canonical 16-bit PCM WAV file (RIFF/WAVE with one 'fmt ' and one 'data' chunk).</summary>
public static class WavFormat
{
    public const int HeaderBytes = 44;
    public const int BitsPerSample = 16;
    public const int BytesPerSample = BitsPerSample / 8;

    /// <summary>The most sample frames a WAV file can hold: its RIFF size field is 32 bits.</summary>
    public static long MaxFrames(int channels) => (uint.MaxValue - (HeaderBytes - 8)) / (channels * BytesPerSample);

    public static byte[] Header(int sampleRate, int channels, long frames)
    {
        if (frames < 0 || frames > MaxFrames(channels))
            throw new ArgumentOutOfRangeException(nameof(frames), frames, "more sample frames than a WAV file can hold");
        int blockAlign = channels * BytesPerSample;
        uint dataBytes = (uint)(frames * blockAlign);

        var header = new byte[HeaderBytes];
        var span = header.AsSpan();
        Encoding.ASCII.GetBytes("RIFF", span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], dataBytes + HeaderBytes - 8);
        Encoding.ASCII.GetBytes("WAVE", span[8..]);
        Encoding.ASCII.GetBytes("fmt ", span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16); // size of the PCM format chunk
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], BitsPerSample);
        Encoding.ASCII.GetBytes("data", span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], dataBytes);
        return header;
    }
}
