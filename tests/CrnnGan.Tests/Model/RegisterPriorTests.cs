using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.register_prior</c>: G's pitch scores lean to the song's register (its pitch mean and spread).</summary>
[Collection(TorchCollection.Name)]
public class RegisterPriorTests
{
    private static readonly FeatureScaling Scaling = FeatureScaling.Default;

    public RegisterPriorTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData("model.register_prior=1")] // no pitch choice, no song traits
    [InlineData("model.register_prior=11", "model.pitch_choice=true", "model.pitch_class_head=false", "model.song_noise=0", "model.song_velocity=false",
        "model.fixed_velocity_spread=false", "model.song_traits=true")]
    public void WithoutTheTraitsOrOutOfRangeItIsRefusedByName(params string[] settings)
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With(settings).Validate());
        Assert.Equal("model.register_prior", error.Key);
    }

    [Fact]
    public void TheTapesGradientsAreAutogradsGradients()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = RegisteredGenerator(1.5, key: 1);
        g.SetSongTraits(Around(64, 72));
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    /// <summary>Teacher forced, each pitch's score gains -w z² / 2 of the window's own pitch mean and spread (the key
    /// prior's scores beside it unchanged).</summary>
    [Fact]
    public void TeacherForcedScoresGainTheWindowsOwnNormalLogDensity()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(6);
        var withPrior = RegisteredGenerator(2);
        var without = RegisteredGenerator(0);
        withPrior.SetSongTraits(Around(40, 60));
        without.load_state_dict(withPrior.state_dict());
        withPrior.eval();
        without.eval();
        using var noGrad = no_grad();
        var song = withPrior.Choices!.WithChoices(ChoiceHeadTests.EighthNotes(tensor(new long[,] { { 55, 60, 64, 67, 72, 60, 64, 79 } }), Scaling));
        torch.manual_seed(1);
        var a = withPrior.TeacherForced(song);
        torch.manual_seed(1);
        var b = without.TeacherForced(song);
        int at = withPrior.PitchOneHotOffset;
        var gained = (a - b)[0, 3, at..(at + 128)];
        var frequency = song[0, .., EventLayout.FrequencyIndex(0)];
        double mean = frequency.mean().item<float>(), spread = frequency.std(unbiased: false).item<float>();
        var table = withPrior.Choices.Columns.Single(c => c.Feature == ChosenFeature.Pitch).Table;
        foreach (int pitch in new[] { 36, 55, 64, 66, 79, 96 })
        {
            double z = (table[pitch] - mean) / spread, expected = -2 * z * z / 2;
            Assert.True(Math.Abs(gained[pitch].item<float>() - expected) < 1e-3 * Math.Max(1, Math.Abs(expected)), $"pitch {pitch}: {gained[pitch].item<float>()} against {expected}");
        }
        Assert.True((a - b)[.., .., ..at].abs().max().item<float>() < 1e-6, "nothing but the pitch scores changes");
    }

    /// <summary>An untrained G scores the pitches about alike; given songs around middle C as its songs' registers, the
    /// prior puts most of its pitches within half an octave of it, against few without.</summary>
    [Fact]
    public void FreeRunningTonesStayInTheDrawnRegister()
    {
        double Near(double weight)
        {
            using var scope = NewDisposeScope();
            torch.manual_seed(7);
            var g = RegisteredGenerator(weight);
            g.SetSongTraits(Around(32, 60));
            g.eval();
            using var noGrad = no_grad();
            int at = g.PitchOneHotOffset;
            var pitches = g.Sample(20, 24)[.., .., at..(at + 128)].argmax(-1);
            return (pitches - 60).abs().le(6).to(float32).mean().item<float>();
        }
        double without = Near(0), with = Near(1);
        Assert.True(without < 0.3, $"without the prior {without:P0} of tones within 6 semitones of 60");
        Assert.True(with > 0.85, $"with the prior {with:P0} of tones within 6 semitones of 60");
    }

    private static Generator RegisteredGenerator(double weight, double key = 0) =>
        new(new ModelConfig(4, Hidden: 9, Layers: 2, Dropout: 0.3, PitchChoice: true, SongTraits: true, SongKeyTraits: key > 0, KeyPrior: key,
            RegisterPrior: weight), Scaling);

    /// <summary>Windows of pitches within 3 semitones of <paramref name="centre"/>.</summary>
    private static Tensor Around(int songs, int centre) => ChoiceHeadTests.EighthNotes(randint(centre - 3, centre + 4, [songs, 12]), Scaling);
}
