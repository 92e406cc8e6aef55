using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;
using static CrnnGan.Tests.Model.PitchClassFeaturesTests;

namespace CrnnGan.Tests.Training;

[Collection(TorchCollection.Name)]
public class PitchClassProfileTests
{
    public PitchClassProfileTests() => TorchRuntime.EnsureLoaded();

    private static float[] Profile(Tensor events, int tonesPerCell = 1)
    {
        using var sorted = PitchClassProfile.Sorted(events, tonesPerCell, Scaling);
        return sorted[0].data<float>().ToArray();
    }

    [Fact]
    public void ASongsProfileIsItsShareOfNotesPerClassLargestFirst()
    {
        // C4 x3 (one an octave up), G4 x1: three quarters on one class, a quarter on another, nothing elsewhere.
        using var events = Events(1, Tone(60), Tone(72), Tone(67), Tone(48));
        var profile = Profile(events);
        Assert.Equal(PitchClassProfile.Classes, profile.Length);
        Assert.Equal(0.75, profile[0], 2);
        Assert.Equal(0.25, profile[1], 2);
        Assert.All(profile[2..], share => Assert.True(share < 0.01, $"share {share}"));
    }

    [Fact]
    public void TheProfileDoesNotDependOnTheKey()
    {
        using var inC = Events(1, Tone(60), Tone(62), Tone(64), Tone(65), Tone(67), Tone(60));
        using var inA = Events(1, Tone(69), Tone(71), Tone(73), Tone(74), Tone(76), Tone(69));
        Assert.Equal(Profile(inC), Profile(inA), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void AbsentTonesOfMultiToneCellsDoNotCount()
    {
        using var events = Events(3, [(60, 80), (64, 80), (0, 0)], [(60, 80), (0, 0), (0, 0)]);
        var profile = Profile(events, tonesPerCell: 3);
        Assert.Equal(2 / 3.0, profile[0], 2);
        Assert.Equal(1 / 3.0, profile[1], 2);
    }

    [Fact]
    public void MatchingPullsANoteBetweenTwoClassesTowardsTheClassTheSongUses()
    {
        // Real songs use one class; the generated song has nine Cs and one note 0.6 semitones above C.
        using var real = Events(1, Tone(60), Tone(72), Tone(60), Tone(48));
        using var fakeEvents = Events(1, Tone(60), Tone(60), Tone(60), Tone(60), Tone(60), Tone(60), Tone(60), Tone(60), Tone(60), Tone(61));
        int frequency = EventLayout.FrequencyIndex(0);
        using (no_grad())
            fakeEvents[0, 9, frequency] = ScaledPitch.FromPitch(tensor(60.6f), Scaling.Frequency);
        var fake = fakeEvents.clone().requires_grad_(true);
        var loss = PitchClassProfile.Matching(real, fake, 1, Scaling);
        Assert.True(loss.item<float>() > 0);
        loss.backward();
        // Gradient descent lowers the scaled frequency (pitch rises with it): towards C.
        Assert.True(fake.grad![0, 9, frequency].item<float>() > 0, $"gradient {fake.grad![0, 9, frequency].item<float>()}");

        using var same = PitchClassProfile.Matching(real, real, 1, Scaling);
        Assert.Equal(0, same.item<float>(), 6);
    }
}
