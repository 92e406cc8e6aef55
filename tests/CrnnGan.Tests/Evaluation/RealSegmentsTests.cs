using CrnnGan.Evaluation;
using CrnnGan.Midi;

namespace CrnnGan.Tests.Evaluation;

public class RealSegmentsTests
{
    private static MidiSong Song(int notes, int firstPitch) => new("song", 1, 384,
        Enumerable.Range(0, notes).Select(i => new Note(1000 + i * 384L, 192, firstPitch + i % 24, 64)).ToList(), [], []);

    [Fact]
    public void CutsNonOverlappingWindowsOfTheAskedLengthStartingAtTheirOwnOnset()
    {
        var segments = RealSegments.Cut([Song(25, 40), Song(9, 60)], events: 10, maxPerSong: 10);

        Assert.Equal(2, segments.Count); // 25 events -> 2 windows; 9 events -> none
        Assert.All(segments, s => Assert.Equal(10, s.Count));
        Assert.Equal(0, segments[0][0].StartTick);
        Assert.Equal(Enumerable.Range(40, 10), segments[0].Select(n => n.Pitch));
        Assert.Equal(Enumerable.Range(50, 10), segments[1].Select(n => n.Pitch));
        Assert.Equal(9 * 384, segments[1][^1].StartTick);
    }

    [Fact]
    public void TakesAtMostTheAskedNumberPerSongSeeded()
    {
        var a = RealSegments.Cut([Song(100, 40)], events: 10, maxPerSong: 3, seed: 1);
        var b = RealSegments.Cut([Song(100, 40)], events: 10, maxPerSong: 3, seed: 1);
        Assert.Equal(3, a.Count);
        Assert.Equal(a.Select(s => s[0].Pitch), b.Select(s => s[0].Pitch));
    }
}
