using CrnnGan.Midi;

namespace CrnnGan.Tests.Midi;

public class MidiFileWriterTests
{
    private static IEnumerable<Note> Canonical(IEnumerable<Note> notes) =>
        notes.Select(n => n with { Track = 0 })
            .OrderBy(n => n.StartTick).ThenBy(n => n.Pitch).ThenBy(n => n.Channel).ThenBy(n => n.LengthTicks);

    private static MidiSong RoundTrip(IReadOnlyList<Note> notes, int ticksPerQuarter = 384) =>
        MidiFileReader.Read(MidiFileWriter.ToBytes(notes, ticksPerQuarter), "roundtrip.mid");

    [Fact]
    public void RoundTrip_GivesIdenticalNotes_WithOverlapsChordsAndZeroLengths()
    {
        Note[] notes =
        [
            // chord
            new(0, 384, 60, 100), new(0, 384, 64, 90), new(0, 384, 67, 80),
            // nested same pitch: the outer note must keep its later end
            new(400, 1000, 62, 70), new(500, 100, 62, 71), new(550, 20, 62, 72),
            // staggered same pitch
            new(2000, 300, 65, 60), new(2100, 300, 65, 61), new(2200, 300, 65, 62),
            // identical start on another channel: not merged
            new(3000, 50, 69, 50), new(3000, 150, 69, 51, Channel: 1),
            // back to back, and zero-length notes touching them
            new(4000, 100, 71, 40), new(4100, 100, 71, 41), new(4100, 0, 71, 42), new(4200, 0, 71, 43),
            // same pitch on another channel, overlapping in time
            new(400, 200, 62, 99, Channel: 9),
        ];

        var song = RoundTrip(notes);

        // The zero-length 71 at 4100 starts where another 71 starts: written once (see the test below).
        Assert.Equal(Canonical(NoteCleaning.MergeSameStart(notes)), Canonical(song.Notes));
        Assert.Equal(notes.Length - 1, song.Notes.Count);
        Assert.Equal(384, song.TicksPerQuarter);
        Assert.Equal(1, song.FileFormat);
    }

    [Fact]
    public void RoundTrip_RandomOverlappingNotes()
    {
        var random = new Random(1234);
        var notes = Enumerable.Range(0, 500)
            .Select(_ => new Note(random.Next(0, 5000), random.Next(0, 800), random.Next(58, 64), random.Next(1, 128), random.Next(0, 2)))
            .ToArray();

        Assert.Equal(Canonical(NoteCleaning.MergeSameStart(notes)), Canonical(RoundTrip(notes).Notes));
    }

    [Fact]
    public void APitchStartedTwiceAtOneTickOnOneChannelIsWrittenOnceLongestAndLoudest()
    {
        Note[] notes = [new(0, 100, 60, 90), new(0, 300, 60, 50), new(0, 200, 60, 70, Channel: 2), new(0, 100, 64, 80)];

        var written = RoundTrip(notes).Notes;

        Assert.Equal([(0L, 300L, 60, 90, 0), (0L, 100L, 64, 80, 0), (0L, 200L, 60, 70, 2)],
            written.Select(n => (n.StartTick, n.LengthTicks, n.Pitch, n.Velocity, n.Channel)).OrderBy(n => n.Channel).ThenBy(n => n.Pitch));
    }

    [Fact]
    public void OverlappingSamePitchNotes_AreSpreadOverVoiceTracks()
    {
        Note[] notes = [new(0, 1000, 60, 100), new(100, 100, 60, 100), new(300, 100, 60, 100), new(0, 50, 72, 100)];

        var tracks = RoundTrip(notes).Notes.Select(n => n.Track).Distinct().Order().ToArray();

        Assert.Equal([1, 2], tracks); // track 0 holds tempo and time signature only
    }

    [Fact]
    public void TempoTrack_HoldsTempoAndFourFour()
    {
        var song = MidiFileReader.Read(MidiFileWriter.ToBytes([new Note(0, 10, 60, 100)], 384, tempoBpm: 90), "t.mid");

        Assert.Equal([new TempoChange(0, 666_667)], song.Tempos);
        Assert.Equal([new TimeSignatureChange(0, 4, 4)], song.TimeSignatures);
    }

    [Fact]
    public void WriteAt480Tpq_ReadsBackAt480()
    {
        Note[] notes = [new(0, 480, 60, 100), new(480, 240, 62, 100)];

        var song = RoundTrip(notes, ticksPerQuarter: 480);

        Assert.Equal(480, song.TicksPerQuarter);
        Assert.Equal(Canonical(notes), Canonical(song.Notes));
    }

    [Fact]
    public void Velocity_IsClampedTo1Through127()
    {
        var song = RoundTrip([new Note(0, 10, 60, 0), new Note(0, 10, 62, 300)]);

        Assert.Equal([1, 127], song.Notes.Select(n => n.Velocity));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(128)]
    public void PitchOutOfRange_Throws(int pitch)
    {
        Assert.Throws<ArgumentException>(() => MidiFileWriter.ToBytes([new Note(0, 10, pitch, 100)]));
    }

    [Fact]
    public void Write_CreatesTheFileAtomically_WithoutLeftovers()
    {
        string dir = Directory.CreateTempSubdirectory("crnngan-writer-").FullName;
        try
        {
            string path = Path.Combine(dir, "song.mid");
            File.WriteAllText(path, "old content");
            Note[] notes = [new(0, 384, 60, 100), new(384, 384, 64, 100)];

            MidiFileWriter.Write(path, notes);

            Assert.Equal(["song.mid"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Equal(Canonical(notes), Canonical(MidiFileReader.Read(path).Notes));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void NoNotes_WritesAReadableFile()
    {
        var song = RoundTrip([]);

        Assert.Empty(song.Notes);
        Assert.Single(song.Tempos);
    }
}
