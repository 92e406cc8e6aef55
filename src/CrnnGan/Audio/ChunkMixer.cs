namespace CrnnGan.Audio;

/// <summary>Mixes voices chunk by chunk, so memory stays small however long the song is.</summary>
internal sealed class ChunkMixer(IReadOnlyList<NoteVoice> voicesByStart, int channels, long totalFrames)
{
    public const int ChunkFrames = 8192;

    public delegate void ChunkHandler(ReadOnlySpan<float> interleavedSamples);

    /// <summary>Calls <paramref name="handle"/> with each chunk of the mix in order, interleaved by channel.</summary>
    public void Run(ChunkHandler handle)
    {
        var mix = new float[ChunkFrames * channels];
        var voiceSamples = new float[ChunkFrames];
        var sounding = new List<NoteVoice>();
        int next = 0;

        for (long chunkStart = 0; chunkStart < totalFrames; chunkStart += ChunkFrames)
        {
            int frames = (int)Math.Min(ChunkFrames, totalFrames - chunkStart);
            long chunkEnd = chunkStart + frames;
            Array.Clear(mix);
            while (next < voicesByStart.Count && voicesByStart[next].StartFrame < chunkEnd)
                sounding.Add(voicesByStart[next++]);

            for (int v = sounding.Count - 1; v >= 0; v--)
            {
                var voice = sounding[v];
                long from = Math.Max(chunkStart, voice.StartFrame);
                long to = Math.Min(chunkEnd, voice.EndFrame);
                if (from < to)
                {
                    var samples = voiceSamples.AsSpan(0, (int)(to - from));
                    voice.Render(from - voice.StartFrame, samples);
                    Add(samples, voice.Pan, mix.AsSpan((int)(from - chunkStart) * channels));
                }
                if (voice.EndFrame <= chunkEnd)
                {
                    sounding[v] = sounding[^1];
                    sounding.RemoveAt(sounding.Count - 1);
                }
            }
            handle(mix.AsSpan(0, frames * channels));
        }
    }

    private void Add(ReadOnlySpan<float> samples, double pan, Span<float> mix)
    {
        if (channels == 1)
        {
            for (int i = 0; i < samples.Length; i++)
                mix[i] += samples[i];
            return;
        }
        // Constant power: the two gains' squares sum to 1, so a note is as loud wherever it sits.
        double angle = (pan + 1) * Math.PI / 4;
        float left = (float)Math.Cos(angle), right = (float)Math.Sin(angle);
        for (int i = 0; i < samples.Length; i++)
        {
            mix[2 * i] += samples[i] * left;
            mix[2 * i + 1] += samples[i] * right;
        }
    }
}
