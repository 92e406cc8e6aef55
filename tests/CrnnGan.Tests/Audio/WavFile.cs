using System.Buffers.Binary;
using System.Text;

namespace CrnnGan.Tests.Audio;

/// <summary>A 16-bit PCM WAV file read back by hand, checking the canonical 44-byte header as it goes.</summary>
internal sealed record WavFile(int SampleRate, int Channels, short[] Samples)
{
    public long Frames => Samples.Length / Channels;

    public double Seconds => (double)Frames / SampleRate;

    public static WavFile Parse(byte[] bytes)
    {
        var span = bytes.AsSpan();
        Assert.True(bytes.Length >= 44, "shorter than a WAV header");
        Assert.Equal("RIFF", Encoding.ASCII.GetString(span[..4]));
        Assert.Equal((uint)bytes.Length - 8, BinaryPrimitives.ReadUInt32LittleEndian(span[4..]));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(span[8..12]));
        Assert.Equal("fmt ", Encoding.ASCII.GetString(span[12..16]));
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(span[16..]));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(span[20..])); // PCM
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(span[22..]);
        int sampleRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[24..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(span[32..]);
        Assert.Equal(channels * 2, blockAlign);
        Assert.Equal((uint)(sampleRate * blockAlign), BinaryPrimitives.ReadUInt32LittleEndian(span[28..]));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(span[34..]));
        Assert.Equal("data", Encoding.ASCII.GetString(span[36..40]));
        uint dataBytes = BinaryPrimitives.ReadUInt32LittleEndian(span[40..]);
        Assert.Equal((uint)bytes.Length - 44, dataBytes);
        Assert.Equal(0u, dataBytes % (uint)blockAlign);

        var samples = new short[dataBytes / 2];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(span[(44 + 2 * i)..]);
        return new WavFile(sampleRate, channels, samples);
    }

    /// <summary>Root mean square of all channels between two times, relative to full scale.</summary>
    public double Rms(double fromSeconds, double toSeconds)
    {
        int from = (int)(fromSeconds * SampleRate) * Channels, to = (int)(toSeconds * SampleRate) * Channels;
        double sum = 0;
        for (int i = from; i < to; i++)
            sum += (double)Samples[i] * Samples[i];
        return Math.Sqrt(sum / (to - from)) / short.MaxValue;
    }

    /// <summary>Power of a frequency in the first channel between two times (Goertzel's algorithm).</summary>
    public double Power(double frequency, double fromSeconds, double toSeconds)
    {
        int from = (int)(fromSeconds * SampleRate), to = (int)(toSeconds * SampleRate);
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequency / SampleRate);
        double previous = 0, beforePrevious = 0;
        for (int frame = from; frame < to; frame++)
        {
            double current = Samples[frame * Channels] + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }
        return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
    }
}
