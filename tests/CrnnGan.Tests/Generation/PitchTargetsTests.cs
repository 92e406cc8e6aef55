using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Tests.Midi;

namespace CrnnGan.Tests.Generation;

public sealed class PitchTargetsTests
{
    private static readonly int[] MajorTune = [0, 4, 7, 12, 11, 9, 7, 5, 4, 2, 0];

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(11)]
    public void Key_MovesATuneIntoTheAskedKey_NearWhereItWas(int asked)
    {
        var tune = MusicKeyTests.Line(62, MajorTune); // D major around D4

        var moved = new PitchTargets(new MusicKey(asked, false), null).Apply(tune);

        Assert.Equal(new MusicKey(asked, false), MusicKey.Estimate(moved));
        int shift = moved[0].Pitch - tune[0].Pitch;
        Assert.InRange(shift, -6, 6);
        Assert.All(moved.Zip(tune), pair => Assert.Equal(pair.Second with { Pitch = pair.Second.Pitch + shift }, pair.First));
    }

    [Fact]
    public void Key_OfTheOtherMode_MovesATuneToTheKeyThatSharesTheAskedKeysNotes()
    {
        var tune = MusicKeyTests.Line(62, MajorTune); // D major

        var moved = new PitchTargets(new MusicKey(9, Minor: true), null).Apply(tune); // asked for A minor

        Assert.Equal(new MusicKey(0, false), MusicKey.Estimate(moved)); // C major: A minor's notes
    }

    [Fact]
    public void Register_MovesByOctavesWithAKey_AndBySemitonesWithout()
    {
        var tune = MusicKeyTests.Line(62, MajorTune);
        double mean = tune.Average(n => n.Pitch);

        var bySemitones = new PitchTargets(null, 40).Apply(tune);
        var byOctaves = new PitchTargets(new MusicKey(2, false), 40).Apply(tune);

        Assert.InRange(bySemitones.Average(n => n.Pitch), 39.5, 40.5);
        Assert.Equal(-24, byOctaves[0].Pitch - tune[0].Pitch); // D major already; the octave nearest 40 from a mean of ~68
        Assert.InRange(byOctaves.Average(n => n.Pitch), 40 - 6, 40 + 6);
        Assert.True(Math.Abs(mean - 40) > 6, "the fixture starts farther than half an octave from 40");
    }

    [Fact]
    public void Targets_NeverMoveNotesOutOfMidisRange()
    {
        var high = MusicKeyTests.Line(115, MajorTune); // up to 127

        var moved = new PitchTargets(new MusicKey(1, false), 108).Apply(high);

        Assert.All(moved, n => Assert.InRange(n.Pitch, 0, 127));
        Assert.Equal(new MusicKey(1, false), MusicKey.Estimate(moved));
    }

    [Theory]
    [InlineData("C4", 60)]
    [InlineData("A0", 21)]
    [InlineData("F#5", 78)]
    [InlineData("Bb2", 46)]
    [InlineData("B#3", 60)]
    [InlineData("72", 72)]
    public void TryParseRegister_ReadsNoteNamesAndNumbers(string text, int pitch)
    {
        Assert.True(PitchTargets.TryParseRegister(text, out int parsed));
        Assert.Equal(pitch, parsed);
    }

    [Theory]
    [InlineData("C9")]
    [InlineData("12")]
    [InlineData("Cm4")]
    [InlineData("H2")]
    [InlineData("C")]
    public void TryParseRegister_RefusesWhatIsNoNoteInRange(string text) => Assert.False(PitchTargets.TryParseRegister(text, out _));
}
