using System.Buffers.Binary;
using CrnnGan.IO;
using CrnnGan.Midi;

namespace CrnnGan.Audio;

public sealed record RenderSettings
{
    public int SampleRate { get; init; } = 44_100;

    /// <summary>1 (mono) or 2 (stereo, notes spread from left to right by pitch).</summary>
    public int Channels { get; init; } = 2;

    /// <summary>How long a note fades after it ends; the file ends when the last note has faded.</summary>
    public double ReleaseSeconds { get; init; } = 0.3;

    /// <summary>The mix is scaled so that its loudest sample sits at this level (dB relative to full scale).</summary>
    public double PeakDecibels { get; init; } = -1;
}

/// <param name="Gain">The factor the mix was scaled by to put its peak at <see cref="RenderSettings.PeakDecibels"/>.</param>
public sealed record RenderResult(long Frames, int SampleRate, int Channels, int NotesRendered, int PercussionNotesSkipped, double Gain)
{
    public double Seconds => (double)Frames / SampleRate;
}

/// <summary>
/// Renders a MIDI song to a 16-bit PCM WAV file with a small built-in synthesiser (<see cref="NoteVoice"/>), one
/// voice per note, timed by the song's tempo map. A preview, not a piano: General MIDI programs are ignored, and
/// notes on the percussion channel (10) are left out. The mix is rendered twice, chunk by chunk, to find its peak
/// and then to write it scaled to <see cref="RenderSettings.PeakDecibels"/>, so it never clips and memory stays
/// small; the synthesiser is deterministic, so both passes agree.
/// </summary>
public static class SongRenderer
{
    /// <summary>MIDI channel 10, zero-based.</summary>
    public const int PercussionChannel = 9;

    public static RenderResult RenderToFile(MidiSong song, string path, RenderSettings? settings = null)
    {
        RenderResult? result = null;
        AtomicFile.Write(path, stream => result = Render(song, stream, settings));
        return result!;
    }

    public static RenderResult Render(MidiSong song, Stream output, RenderSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(song);
        ArgumentNullException.ThrowIfNull(output);
        settings ??= new RenderSettings();
        Validate(settings);

        var voices = Voices(song, settings);
        long releaseFrames = (long)Math.Round(settings.ReleaseSeconds * settings.SampleRate);
        long frames = voices.Count == 0 ? releaseFrames : voices.Max(voice => voice.EndFrame);
        if (frames > WavFormat.MaxFrames(settings.Channels))
            throw new InvalidOperationException(
                $"{song.SourceName}: the song lasts {frames / (double)settings.SampleRate / 3600:0.0} hours, too long for a WAV file");

        var mixer = new ChunkMixer(voices, settings.Channels, frames);
        float peak = 0;
        mixer.Run(samples => peak = Math.Max(peak, PeakOf(samples)));
        double gain = peak > 0 ? Math.Pow(10, settings.PeakDecibels / 20) / peak : 1;

        output.Write(WavFormat.Header(settings.SampleRate, settings.Channels, frames));
        var bytes = new byte[ChunkMixer.ChunkFrames * settings.Channels * WavFormat.BytesPerSample];
        mixer.Run(samples =>
        {
            for (int i = 0; i < samples.Length; i++)
            {
                double value = Math.Clamp(samples[i] * gain, -1, 1);
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * WavFormat.BytesPerSample), (short)Math.Round(value * short.MaxValue));
            }
            output.Write(bytes, 0, samples.Length * WavFormat.BytesPerSample);
        });

        int skipped = song.Notes.Count - voices.Count;
        return new RenderResult(frames, settings.SampleRate, settings.Channels, voices.Count, skipped, gain);
    }

    private static void Validate(RenderSettings settings)
    {
        if (settings.SampleRate is < 8_000 or > 192_000)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.SampleRate, "sample rate must be 8000..192000 Hz");
        if (settings.Channels is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Channels, "channels must be 1 or 2");
        if (!(settings.ReleaseSeconds is >= 0.001 and <= 10))
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ReleaseSeconds, "release must be 0.001..10 s");
        if (!(settings.PeakDecibels is >= -60 and <= 0))
            throw new ArgumentOutOfRangeException(nameof(settings), settings.PeakDecibels, "peak level must be -60..0 dB");
    }

    /// <summary>A voice per note off the percussion channel, in order of start.</summary>
    private static List<NoteVoice> Voices(MidiSong song, RenderSettings settings)
    {
        var tempo = TempoMap.Of(song);
        long Frame(long tick) => (long)Math.Round(tempo.Seconds(tick) * settings.SampleRate);

        return song.Notes
            .Where(note => note.Channel != PercussionChannel)
            .Select(note =>
            {
                long start = Frame(note.StartTick);
                return new NoteVoice(note, start, Frame(note.EndTick) - start, settings.SampleRate, settings.ReleaseSeconds);
            })
            .OrderBy(voice => voice.StartFrame)
            .ToList();
    }

    private static float PeakOf(ReadOnlySpan<float> samples)
    {
        float peak = 0;
        foreach (float sample in samples)
            peak = Math.Max(peak, Math.Abs(sample));
        return peak;
    }
}
