using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Training;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class NextPitchGuessTests
{
    private static (Tensor Real, FeatureScaling Scaling) Songs()
    {
        TorchRuntime.EnsureLoaded();
        var encoded = SyntheticCorpus.Generate(4, seed: 2).Select(s => EventCodec.Encode(s)).ToList();
        var scaling = FeatureScaling.Fit(encoded);
        const int length = 20;
        var values = encoded.SelectMany(e => scaling.Scale(e)[..(length * e.FeatureCount)]).ToArray();
        return (tensor(values, new long[] { encoded.Count, length, encoded[0].FeatureCount }), scaling);
    }

    [Fact]
    public void AGuessOfEveryRealEvent_HitsEveryNextPitch_AndOneASemitoneOff_NoneOfThem()
    {
        var (real, scaling) = Songs();
        int f = EventLayout.FrequencyIndex(0);
        var semitoneUp = real.clone();
        semitoneUp[.., .., f] = ScaledPitch.FromPitch(ScaledPitch.ToPitch(real[.., .., f], scaling.Frequency).round() + 1, scaling.Frequency);

        var (events, hits) = NextPitchGuess.Count(real, real, head: null, scaling);
        var (_, missed) = NextPitchGuess.Count(semitoneUp, real, head: null, scaling);

        Assert.Equal(4 * 19, events); // every event after the first sounds in the synthetic songs
        Assert.Equal(events, hits);
        Assert.Equal(0, missed);
    }

    [Fact]
    public void WithAPitchClassHead_TheGuessIsReadAsWritten_ItsClassFromTheCircleOfFifths()
    {
        var (real, scaling) = Songs();
        var head = new PitchClassHead(1, scaling);
        var withClasses = head.WithPitchClasses(real);
        // The register (frequency) two semitones off, the class right: the written pitch is the real one.
        int f = EventLayout.FrequencyIndex(0);
        var offRegister = withClasses.clone();
        offRegister[.., .., f] = ScaledPitch.FromPitch(ScaledPitch.ToPitch(real[.., .., f], scaling.Frequency) + 2, scaling.Frequency);

        var (events, hits) = NextPitchGuess.Count(offRegister, withClasses, head, scaling);

        Assert.Equal(events, hits);
    }
}
