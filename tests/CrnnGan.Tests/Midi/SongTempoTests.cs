using CrnnGan.Midi;

namespace CrnnGan.Tests.Midi;

public class SongTempoTests
{
    private static MidiSong Song(int ticksPerQuarter, long lastEnd, params TempoChange[] tempos) =>
        new("song", 1, ticksPerQuarter, [new Note(0, lastEnd, 60, 80)], tempos, []);

    private static TempoChange Bpm(long tick, double bpm) => new(tick, (int)Math.Round(60_000_000 / bpm));

    [Fact]
    public void TheMostCommonTempo_IsWeightedByQuarterNotesPlayedAtIt()
    {
        // 8 quarters at 100, then 4 at 140; another song 6 quarters at 140 (at another resolution): 140 has 10 to 100's 8.
        var a = Song(480, 12 * 480, Bpm(0, 100), Bpm(8 * 480, 140));
        var b = Song(96, 6 * 96, Bpm(0, 140));
        Assert.Equal(140, SongTempo.MostCommon([a, b]));
        Assert.Equal(100, SongTempo.MostCommon([a]));
    }

    [Fact]
    public void BeforeTheFirstSetTempoEvent_TheMidiDefaultOf120Holds_AndTempiAreWholeBpm()
    {
        Assert.Equal(120, SongTempo.MostCommon([Song(384, 10 * 384)]));
        Assert.Equal(120, SongTempo.MostCommon([Song(384, 10 * 384, Bpm(8 * 384, 72))]));
        Assert.Equal(72, SongTempo.MostCommon([Song(384, 10 * 384, Bpm(2 * 384, 72.3))]));
        Assert.Null(SongTempo.MostCommon([new MidiSong("silent", 1, 384, [], [Bpm(0, 90)], [])]));
    }

    [Fact]
    public void APassagesTempo_CountsOnlyItsOwnSpan()
    {
        var song = Song(384, 40 * 384, Bpm(0, 60), Bpm(4 * 384, 90), Bpm(12 * 384, 180));
        Assert.Equal(60, SongTempo.Of(song, 3 * 384));
        Assert.Equal(90, SongTempo.Of(song, 10 * 384));
        Assert.Equal(180, SongTempo.Of(song, 40 * 384));
        Assert.Equal(60, SongTempo.Of(song, 0));
    }
}
