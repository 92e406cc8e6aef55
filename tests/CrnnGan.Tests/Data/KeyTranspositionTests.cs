using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Midi;

namespace CrnnGan.Tests.Data;

public class KeyTranspositionTests
{
    private static MidiSong Song(params int[] pitches) =>
        new("test", 1, 384, pitches.Select((p, i) => new Note(i * 384L, 384, p, 80)).ToList(), [], []);

    private static readonly int[] MajorScale = [0, 2, 4, 5, 7, 9, 11];

    private static MidiSong MajorSong(int root) => Song(MajorScale.Select(i => 60 + root + i).Concat(MajorScale.Select(i => 60 + root + i)).ToArray());

    [Theory]
    [InlineData(0, 0)] // C major stays
    [InlineData(2, -2)] // D major moves down a tone
    [InlineData(7, 5)] // G major moves up a fourth, not down a fifth
    [InlineData(6, -6)] // F# major: either way is 6; down wins
    [InlineData(11, 1)]
    public void MajorSongsMoveToCByTheSmallerInterval(int root, int expectedShift)
    {
        var song = MajorSong(root);
        Assert.Equal(expectedShift, KeyTransposition.ShiftToC(song));
        var moved = KeyTransposition.ToC(song);
        var fit = ScaleFit.Best(new PitchClassHistogram(moved.Notes.Select(n => n.Pitch)));
        Assert.Equal("C major", fit.ScaleName);
        Assert.Equal(song.Notes.Select(n => n.Pitch + expectedShift), moved.Notes.Select(n => n.Pitch));
        Assert.Equal(song.Notes.Select(n => n.StartTick), moved.Notes.Select(n => n.StartTick));
    }

    [Fact]
    public void HarmonicMinorSongsMoveToA()
    {
        // E harmonic minor (with D#) moves down 7 semitones mod 12 = up 5: A harmonic minor.
        int[] harmonicMinor = [0, 2, 3, 5, 7, 8, 11, 11, 11];
        var song = Song(harmonicMinor.Select(i => 64 + i).ToArray());
        var moved = KeyTransposition.ToC(song);
        Assert.Equal("A harmonic minor", ScaleFit.Best(new PitchClassHistogram(moved.Notes.Select(n => n.Pitch))).ScaleName);
    }

    [Fact]
    public void NotesPushedOffTheMidiRangeMoveBackAnOctave()
    {
        var song = Song(MajorScale.Select(i => 59 + i).Append(127).ToArray()); // B major, and a G9 at the top of the range
        var moved = KeyTransposition.ToC(song); // up 1: G9 would be 128
        Assert.Equal(1, KeyTransposition.ShiftToC(song));
        Assert.Equal(116, moved.Notes[^1].Pitch); // G#8, an octave below 128
        Assert.Equal(60, moved.Notes[0].Pitch);
    }

    [Fact]
    public void SongsWithoutNotesStay()
    {
        var empty = Song();
        Assert.Same(empty, KeyTransposition.ToC(empty));
    }
}
