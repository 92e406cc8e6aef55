using CrnnGan.Midi;
using static CrnnGan.Tests.Midi.SmfBuilder;

namespace CrnnGan.Tests.Midi;

public class MidiFileReaderTests
{
    private static MidiSong ReadBytes(byte[] data) => MidiFileReader.Read(data, "test.mid");

    [Fact]
    public void Type0_FileParses()
    {
        var song = ReadBytes(Smf(0, 96, Events(
            On(0, 60, 100), On(0, 64, 90, channel: 2),
            Off(96, 60), Off(48, 64, channel: 2))));

        Assert.Equal(0, song.FileFormat);
        Assert.Equal(96, song.TicksPerQuarter);
        Assert.Equal("test.mid", song.SourceName);
        Assert.Equal(
            [new Note(0, 96, 60, 100, 0, 0), new Note(0, 144, 64, 90, 2, 0)],
            song.Notes);
    }

    [Fact]
    public void Type1_FileParses_NotesKeepTheirTrack()
    {
        var song = ReadBytes(Smf(1, 96,
            Events(Tempo(0, 500_000)),
            Events(On(10, 72, 80), Off(20, 72)),
            Events(On(0, 48, 70), Off(96, 48))));

        Assert.Equal(1, song.FileFormat);
        Assert.Equal(
            [new Note(0, 96, 48, 70, 0, 2), new Note(10, 20, 72, 80, 0, 1)],
            song.Notes);
    }

    [Fact]
    public void NoteOnWithVelocityZero_ClosesTheNote()
    {
        var song = ReadBytes(Smf(0, 96, Events(On(0, 60, 100), On(30, 60, 0), On(10, 60, 50), On(40, 60, 0))));

        Assert.Equal([new Note(0, 30, 60, 100), new Note(40, 40, 60, 50)], song.Notes);
    }

    [Fact]
    public void UnclosedNote_LastsOneQuarter()
    {
        var song = ReadBytes(Smf(1, 480, Events(On(100, 60, 100), On(0, 62, 90), Off(50, 62))));

        Assert.Equal([new Note(100, 480, 60, 100), new Note(100, 50, 62, 90)], song.Notes);
    }

    [Fact]
    public void SamePitchNotes_ArePairedFirstInFirstOut()
    {
        var song = ReadBytes(Smf(0, 96, Events(On(0, 60, 100), On(10, 60, 90), Off(20, 60), Off(30, 60))));

        Assert.Equal([new Note(0, 30, 60, 100), new Note(10, 50, 60, 90)], song.Notes);
    }

    [Fact]
    public void SamePitchOnDifferentChannelsOrTracks_IsPairedSeparately()
    {
        var song = ReadBytes(Smf(1, 96,
            Events(On(0, 60, 100, channel: 0), On(0, 60, 90, channel: 1), Off(10, 60, channel: 1), Off(10, 60, channel: 0)),
            Events(On(5, 60, 80), Off(100, 60))));

        Assert.Equal(
            [new Note(0, 20, 60, 100, 0, 0), new Note(0, 10, 60, 90, 1, 0), new Note(5, 100, 60, 80, 0, 1)],
            song.Notes);
    }

    [Fact]
    public void OffWithoutOpenNote_IsIgnored_AndZeroLengthNoteIsKept()
    {
        var song = ReadBytes(Smf(0, 96, Events(Off(0, 61), On(10, 60, 100), Off(0, 60))));

        Assert.Equal([new Note(10, 0, 60, 100)], song.Notes);
    }

    [Fact]
    public void RunningStatus_IsHonoured()
    {
        var song = ReadBytes(Smf(0, 96, Events(
            On(0, 60, 100), Running(0, 64, 90), Running(0, 67, 80),
            Running(96, 60, 0), Running(0, 64, 0), Running(0, 67, 0))));

        Assert.Equal(
            [new Note(0, 96, 60, 100), new Note(0, 96, 64, 90), new Note(0, 96, 67, 80)],
            song.Notes);
    }

    [Fact]
    public void TempoAndTimeSignature_AreRead_SortedByTick()
    {
        var song = ReadBytes(Smf(1, 96,
            Events(TimeSignature(0, 3, 2), Tempo(0, 600_000), TimeSignature(384, 6, 3), Tempo(0, 400_000)),
            Events(Tempo(100, 500_000), On(0, 60, 100), Off(10, 60))));

        Assert.Equal(
            [new TempoChange(0, 600_000), new TempoChange(100, 500_000), new TempoChange(384, 400_000)],
            song.Tempos);
        Assert.Equal([new TimeSignatureChange(0, 3, 4), new TimeSignatureChange(384, 6, 8)], song.TimeSignatures);
        Assert.Equal(100, song.Tempos[0].Bpm, precision: 9);
    }

    [Fact]
    public void RmidWrappedFile_Reads()
    {
        byte[] smf = Smf(0, 120, Events(On(0, 60, 100), Off(120, 60)));

        var song = ReadBytes(Rmid(smf));

        Assert.Equal(120, song.TicksPerQuarter);
        Assert.Equal([new Note(0, 120, 60, 100)], song.Notes);
    }

    [Theory]
    [InlineData(new byte[] { 0xFD, 0xFF })] // 3 flats, mode 255: seen in real files
    [InlineData(new byte[] { 0x7F, 0x02 })] // 127 sharps, mode 2
    [InlineData(new byte[] { 0x01 })]       // payload too short
    public void OutOfRangeKeySignature_DoesNotBreakReading(byte[] payload)
    {
        byte[] data = Smf(1, 96, Events(Meta(0, 0x59, payload), On(0, 60, 100), Off(48, 60)));

        Assert.Equal([new Note(0, 48, 60, 100)], ReadBytes(data).Notes);
    }

    [Fact]
    public void SkippedMalformedEvent_KeepsItsDeltaTime()
    {
        // Controller value and note velocity above 127: both events are skipped, their 10-tick deltas still count.
        byte[] badController = [10, 0xB0, 0x07, 0xCB];
        byte[] badNote = [10, 0x90, 0x3E, 0xB0];
        var song = ReadBytes(Smf(0, 96, Events(badController, badNote, On(10, 60, 100), Off(5, 60))));

        Assert.Equal([new Note(30, 5, 60, 100)], song.Notes);
    }

    /// <summary>Every kind of event the reader skips or cannot use: its 10-tick delta still moves the clock.</summary>
    [Theory]
    [InlineData("tempo too short", new byte[] { 10, 0xFF, 0x51, 0x01, 0x07 })]
    [InlineData("tempo of 0", new byte[] { 10, 0xFF, 0x51, 0x03, 0x00, 0x00, 0x00 })]
    [InlineData("time signature 4/2^7", new byte[] { 10, 0xFF, 0x58, 0x04, 0x04, 0x07, 0x18, 0x08 })]
    [InlineData("unknown meta", new byte[] { 10, 0xFF, 0x7E, 0x02, 0x01, 0x02 })]
    [InlineData("sysex", new byte[] { 10, 0xF0, 0x03, 0x7E, 0x7F, 0xF7 })]
    [InlineData("sysex escape", new byte[] { 10, 0xF7, 0x01, 0xF8 })]
    [InlineData("song position pointer", new byte[] { 10, 0xF2, 0x10, 0x20 })]
    [InlineData("real-time clock", new byte[] { 10, 0xF8 })]
    [InlineData("program change above 127", new byte[] { 10, 0xC0, 0x85 })]
    [InlineData("note-off without a note", new byte[] { 10, 0x80, 0x3E, 0x40 })]
    [InlineData("note-on with pitch above 127", new byte[] { 10, 0x90, 0xBC, 0x40 })]
    public void SkippedEventOfAnyKind_KeepsItsDeltaTime(string kind, byte[] skipped)
    {
        var song = ReadBytes(Smf(0, 96, Events(skipped, On(5, 60, 100), Off(5, 60))));

        Assert.True(song.Notes.SequenceEqual([new Note(15, 5, 60, 100)]), $"{kind}: {string.Join(", ", song.Notes)}");
    }

    [Fact]
    public void SysexAndOtherMetaEvents_AreSkipped()
    {
        byte[] sysex = [0, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7];
        var song = ReadBytes(Smf(0, 96, Events(
            Meta(0, 0x03, "Piano"u8.ToArray()), sysex, On(7, 60, 100), Meta(3, 0x01, 0x41), Running(5, 60, 0))));

        Assert.Equal([new Note(7, 8, 60, 100)], song.Notes);
    }

    [Fact]
    public void GarbageAfterDeclaredTracks_IsIgnored_ButExtraTracksAreRead()
    {
        byte[] file = Concat(
            Header(1, 1, 96),
            Track(Events(On(0, 60, 100), Off(10, 60))),
            Track(Events(On(0, 62, 100), Off(10, 62))),
            [0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A]);

        var song = ReadBytes(file);

        Assert.Equal([new Note(0, 10, 60, 100, 0, 0), new Note(0, 10, 62, 100, 0, 1)], song.Notes);
    }

    [Fact]
    public void ForeignChunkBetweenTracks_IsSkipped()
    {
        byte[] file = Concat(
            Header(1, 1, 96),
            Chunk("XFIH", [1, 2, 3]),
            Track(Events(On(0, 60, 100), Off(10, 60))));

        Assert.Single(ReadBytes(file).Notes);
    }

    [Fact]
    public void Type2Tracks_AreLaidOutOneAfterAnother()
    {
        var song = ReadBytes(Smf(2, 96,
            Events(On(0, 60, 100), Off(96, 60)),
            Events(On(0, 62, 100), Off(48, 62))));

        Assert.Equal(2, song.FileFormat);
        Assert.Equal([new Note(0, 96, 60, 100, 0, 0), new Note(96, 48, 62, 100, 0, 1)], song.Notes);
    }

    [Fact]
    public void File480Tpq_ReportsItsResolution()
    {
        var song = ReadBytes(Smf(1, 480, Events(On(0, 60, 100), Off(480, 60))));

        Assert.Equal(480, song.TicksPerQuarter);
        Assert.Equal([new Note(0, 480, 60, 100)], song.Notes);
    }

    [Fact]
    public void SmpteTimedFile_MapsOneSecondToOneQuarter()
    {
        // 25 frames per second, 40 ticks per frame: 1000 ticks per second.
        var song = ReadBytes(Smf(0, 0xE728, Events(Tempo(0, 300_000), On(0, 60, 100), Off(500, 60))));

        Assert.Equal(1000, song.TicksPerQuarter);
        Assert.Equal([new TempoChange(0, 1_000_000)], song.Tempos);
        Assert.Equal([new Note(0, 500, 60, 100)], song.Notes);
    }

    [Fact]
    public void RiffFileOfAnotherType_RaisesMidiReadException()
    {
        byte[] wave = Concat("RIFF"u8.ToArray(), [4, 0, 0, 0], "WAVE"u8.ToArray());

        var e = Assert.Throws<MidiReadException>(() => ReadBytes(wave));

        Assert.Equal("not a MIDI file: RIFF container of type 'WAVE'", e.Reason);
    }

    [Fact]
    public void EmptyFile_RaisesMidiReadException_NamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"crnngan-empty-{Guid.NewGuid():N}.mid");
        System.IO.File.WriteAllBytes(path, []);
        try
        {
            var e = Assert.Throws<MidiReadException>(() => MidiFileReader.Read(path));
            Assert.Equal(path, e.FilePath);
            Assert.Equal("empty file (0 bytes)", e.Reason);
            Assert.Contains(path, e.Message);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void MissingFile_RaisesMidiReadException()
    {
        var e = Assert.Throws<MidiReadException>(() => MidiFileReader.Read("/nonexistent/dir/x.mid"));
        Assert.Equal("/nonexistent/dir/x.mid", e.FilePath);
        Assert.StartsWith("cannot read file", e.Reason);
    }

    [Fact]
    public void GarbageFile_RaisesMidiReadException()
    {
        var e = Assert.Throws<MidiReadException>(() => MidiFileReader.Read("hello, world! not midi"u8.ToArray(), "garbage.mid"));
        Assert.Equal("garbage.mid", e.FilePath);
        Assert.Equal("not a MIDI file: header is 'hell'", e.Reason);
    }

    [Fact]
    public void TruncatedFile_RaisesMidiReadException()
    {
        byte[] full = Smf(1, 96, Events(On(0, 60, 100), Off(96, 60), On(0, 62, 100), Off(96, 62)));

        var e = Assert.Throws<MidiReadException>(() => MidiFileReader.Read(full[..(full.Length - 6)], "cut.mid"));

        Assert.Equal("cut.mid", e.FilePath);
        Assert.StartsWith("truncated track 0", e.Reason);
    }

    [Theory]
    [InlineData(10)] // inside the header
    [InlineData(14)] // right after the header: no track at all
    public void FileCutEarly_RaisesMidiReadException(int length)
    {
        byte[] full = Smf(1, 96, Events(On(0, 60, 100), Off(96, 60)));

        var e = Assert.Throws<MidiReadException>(() => MidiFileReader.Read(full[..length], "cut.mid"));

        Assert.Contains("truncated", e.Reason);
    }

    [Fact]
    public void EventRunningPastItsTrack_RaisesMidiReadException()
    {
        byte[] body = [0x00, 0x90, 0x3C]; // note-on missing its velocity byte, no end-of-track
        byte[] file = Concat(Header(0, 1, 96), Chunk("MTrk", body));

        var e = Assert.Throws<MidiReadException>(() => ReadBytes(file));

        Assert.StartsWith("track 0: unexpected end of data", e.Reason);
    }
}
