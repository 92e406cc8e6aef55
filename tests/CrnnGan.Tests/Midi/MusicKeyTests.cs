using CrnnGan.Midi;

namespace CrnnGan.Tests.Midi;

public sealed class MusicKeyTests
{
    [Theory]
    [InlineData("D minor", 2, true)]
    [InlineData("d MINOR", 2, true)]
    [InlineData("F#m", 6, true)]
    [InlineData("Bb major", 10, false)]
    [InlineData("Eb", 3, false)]
    [InlineData("Ebm", 3, true)]
    [InlineData("Cb", 11, false)]
    [InlineData(" B min ", 11, true)]
    [InlineData("CM", 0, false)]
    [InlineData("Cm", 0, true)]
    public void TryParse_ReadsTonicAndMode(string text, int tonic, bool minor)
    {
        Assert.True(MusicKey.TryParse(text, out var key));
        Assert.Equal(new MusicKey(tonic, minor), key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("H minor")]
    [InlineData("C dorian")]
    [InlineData("C##")]
    public void TryParse_RefusesWhatIsNoKey(string text) => Assert.False(MusicKey.TryParse(text, out _));

    [Fact]
    public void Estimate_FindsTheKeyOfScalesAndCadences_InEveryTransposition()
    {
        // A major scale up and down with the tonic held longest, and a harmonic minor line ending on its tonic.
        int[] major = [0, 2, 4, 5, 7, 9, 11, 12, 11, 9, 7, 5, 4, 2, 0];
        int[] minor = [0, 2, 3, 5, 7, 8, 11, 12, 7, 3, 0, 11, 0];
        for (int tonic = 0; tonic < 12; tonic++)
        {
            Assert.Equal(new MusicKey(tonic, false), MusicKey.Estimate(Line(60 + tonic, major)));
            Assert.Equal(new MusicKey((9 + tonic) % 12, true), MusicKey.Estimate(Line(57 + tonic, minor))); // from A3
        }
    }

    [Fact]
    public void Estimate_OfOnePitchClass_IsUnknown() => Assert.Null(MusicKey.Estimate(Line(60, [0, 12, 0])));

    /// <summary>Quarter notes; the first and last twice as long, as a tonic often is.</summary>
    internal static List<Note> Line(int from, int[] steps) =>
        steps.Select((s, i) => new Note(i * 384L, i == 0 || i == steps.Length - 1 ? 768 : 384, from + s, 80)).ToList();
}
