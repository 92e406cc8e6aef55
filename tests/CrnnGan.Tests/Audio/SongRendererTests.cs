using CrnnGan.Audio;
using CrnnGan.Midi;
using CrnnGan.Tests.Cli;

namespace CrnnGan.Tests.Audio;

public sealed class SongRendererTests
{
    private const int TicksPerQuarter = 384;
    private const double Release = 0.3;
    private const double FrameTolerance = 0.002;

    private static MidiSong Song(IReadOnlyList<Note> notes, params TempoChange[] tempos) =>
        new("test", 1, TicksPerQuarter, notes, tempos, []);

    private static TempoChange Bpm(double bpm, long tick = 0) => new(tick, (int)Math.Round(60_000_000 / bpm));

    /// <summary>C, E, G, C as quarter notes, the last held for two beats: it ends at tick 5 x 384.</summary>
    private static Note[] Melody() =>
    [
        new(0, 384, 60, 90), new(384, 384, 64, 90), new(768, 384, 67, 90), new(1152, 768, 72, 90),
    ];

    private static WavFile Render(MidiSong song, RenderSettings? settings = null)
    {
        using var stream = new MemoryStream();
        SongRenderer.Render(song, stream, settings);
        return WavFile.Parse(stream.ToArray());
    }

    [Fact]
    public void File_HasAValidHeaderAndLastsUntilTheLastNoteEndsPlusTheRelease()
    {
        using var folder = new TempFolder();
        string path = folder.File("out/melody.wav");

        var result = SongRenderer.RenderToFile(Song(Melody(), Bpm(120)), path);

        var wav = WavFile.Parse(File.ReadAllBytes(path));
        Assert.Equal(44_100, wav.SampleRate);
        Assert.Equal(2, wav.Channels);
        Assert.Equal(result.Frames, wav.Frames);
        Assert.Equal(4, result.NotesRendered);
        Assert.InRange(wav.Seconds, 2.5 + Release - FrameTolerance, 2.5 + Release + FrameTolerance);
        Assert.Equal(["melody.wav"], Directory.EnumerateFileSystemEntries(folder.File("out")).Select(Path.GetFileName));
    }

    [Fact]
    public void DoublingTheTempo_HalvesTheSongAndATempoChangeCountsFromWhereItHappens()
    {
        double at120 = Render(Song(Melody(), Bpm(120))).Seconds - Release;
        double at240 = Render(Song(Melody(), Bpm(240))).Seconds - Release;
        double noTempo = Render(Song(Melody())).Seconds - Release;
        double changing = Render(Song(Melody(), Bpm(120), Bpm(60, tick: 768))).Seconds - Release;

        Assert.InRange(at120, 2.5 - FrameTolerance, 2.5 + FrameTolerance);
        Assert.InRange(at240, 1.25 - FrameTolerance, 1.25 + FrameTolerance);
        Assert.InRange(noTempo, 2.5 - FrameTolerance, 2.5 + FrameTolerance);
        // Two beats at 120 BPM (1 s), then three at 60 BPM (3 s).
        Assert.InRange(changing, 4 - FrameTolerance, 4 + FrameTolerance);
    }

    [Fact]
    public void LouderVelocity_GivesLargerRms()
    {
        var wav = Render(Song([new Note(0, 384, 60, 40), new Note(768, 384, 60, 110)], Bpm(120)));

        double soft = wav.Rms(0.05, 0.45), loud = wav.Rms(1.05, 1.45);

        Assert.True(soft > 0.001, $"the soft note should be audible, RMS {soft}");
        Assert.True(loud > 2 * soft, $"RMS of velocity 110 ({loud:F4}) should be well above that of velocity 40 ({soft:F4})");
    }

    [Fact]
    public void DenseLoudChord_IsScaledToOneDecibelBelowFullScale()
    {
        Note[] chord = [.. Enumerable.Range(40, 30).Select(pitch => new Note(0, 768, pitch, 127))];

        var wav = Render(Song(chord, Bpm(120)));

        int peak = wav.Samples.Max(sample => Math.Abs((int)sample));
        Assert.InRange(peak, (int)(0.891 * short.MaxValue) - 2, (int)(0.892 * short.MaxValue));
    }

    [Fact]
    public void NoteSoundsAtItsPitch()
    {
        var wav = Render(Song([new Note(0, 768, 69, 100)], Bpm(120)), new RenderSettings { Channels = 1 });

        double a440 = wav.Power(440, 0.1, 0.9);
        Assert.True(a440 > 100 * wav.Power(415.3, 0.1, 0.9));
        Assert.True(a440 > 100 * wav.Power(466.2, 0.1, 0.9));
        Assert.Equal(1, wav.Channels);
    }

    [Fact]
    public void RenderingInChunks_IsSeamless()
    {
        // The same note starting 0.5 s later meets the chunk boundaries at other points; the audio must not change.
        Note note = new(0, 1536, 57, 100);
        var mono = new RenderSettings { Channels = 1 };
        var early = Render(Song([note], Bpm(120)), mono);
        var late = Render(Song([note with { StartTick = 384 }], Bpm(120)), mono);

        int offset = (int)(late.Frames - early.Frames);
        Assert.Equal(22_050, offset);
        // Within single-precision rounding (a few steps of 32767, below -75 dBFS); a seam would jump by far more.
        for (int i = 0; i < early.Samples.Length; i++)
            Assert.True(Math.Abs(early.Samples[i] - late.Samples[i + offset]) <= 6, $"sample {i}: {early.Samples[i]} vs {late.Samples[i + offset]}");
        Assert.All(late.Samples[..offset], sample => Assert.Equal(0, sample));
    }

    [Fact]
    public void SongWithoutNotes_GivesOnlyTheSilentReleaseTail()
    {
        var wav = Render(Song([], Bpm(120)));

        Assert.InRange(wav.Seconds, Release - FrameTolerance, Release + FrameTolerance);
        Assert.All(wav.Samples, sample => Assert.Equal(0, sample));
    }

    [Fact]
    public void PercussionChannel_IsLeftOut()
    {
        Note[] notes = [new(0, 384, 60, 90), new(0, 3840, 36, 100, Channel: SongRenderer.PercussionChannel)];
        using var stream = new MemoryStream();

        var result = SongRenderer.Render(Song(notes, Bpm(120)), stream);

        Assert.Equal(1, result.NotesRendered);
        Assert.Equal(1, result.PercussionNotesSkipped);
        Assert.InRange(result.Seconds, 0.5 + Release - FrameTolerance, 0.5 + Release + FrameTolerance);
    }

    [Fact]
    public void TempoMap_UsesTheDefaultBeforeTheFirstChangeAndTheLastOfSeveralAtOneTick()
    {
        var map = new TempoMap(TicksPerQuarter, [Bpm(60, tick: 384), Bpm(240, tick: 768), Bpm(120, tick: 768)]);

        Assert.Equal(0.5, map.Seconds(384), 9);
        Assert.Equal(1.5, map.Seconds(768), 9);
        Assert.Equal(2.0, map.Seconds(1152), 9);
    }
}
