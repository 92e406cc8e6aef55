using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.key_prior</c>: G's pitch scores lean to the pitch classes of the song's key.</summary>
[Collection(TorchCollection.Name)]
public class KeyPriorTests
{
    private static readonly FeatureScaling Scaling = FeatureScaling.Default;

    public KeyPriorTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData("model.key_prior=1")] // no pitch choice, no key traits
    [InlineData("model.key_prior=-1", "model.pitch_choice=true", "model.pitch_class_head=false", "model.song_noise=0", "model.song_velocity=false",
        "model.fixed_velocity_spread=false", "model.song_traits=true", "model.song_key_traits=true")]
    public void WithoutTheKeyOrOutOfRangeItIsRefusedByName(params string[] settings)
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With(settings).Validate());
        Assert.Equal("model.key_prior", error.Key);
    }

    [Fact]
    public void TheTapesGradientsAreAutogradsGradients()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = KeyedGenerator(1.5);
        g.SetSongTraits(Triads(64));
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    /// <summary>Teacher forced, each window's pitch scores gain weight x log(share + floor) of its own pitch classes.</summary>
    [Fact]
    public void TeacherForcedScoresGainTheWindowsOwnShares()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(6);
        var withPrior = KeyedGenerator(2);
        var without = KeyedGenerator(0);
        var windows = Triads(40);
        withPrior.SetSongTraits(windows);
        without.load_state_dict(withPrior.state_dict());
        withPrior.eval();
        without.eval();
        using var noGrad = no_grad();
        var song = withPrior.Choices!.WithChoices(ChoiceHeadTests.EighthNotes(tensor(new long[,] { { 60, 64, 67, 60, 64, 67, 72, 61 } }), Scaling));
        torch.manual_seed(1);
        var a = withPrior.TeacherForced(song);
        torch.manual_seed(1);
        var b = without.TeacherForced(song);
        int at = withPrior.PitchOneHotOffset;
        var gained = (a - b)[0, .., at..(at + 128)];
        // C x3, E x2, G x2, C# x1 of 8 tones.
        double Expected(int pitchClass) => 2 * Math.Log(pitchClass switch { 0 => 3.0 / 8, 4 or 7 => 2.0 / 8, 1 => 1.0 / 8, _ => 0 } + KeyPrior.Floor);
        foreach (int pitch in new[] { 48, 60, 61, 62, 64, 67, 70, 79 })
            Assert.True(Math.Abs(gained[3, pitch].item<float>() - Expected(pitch % 12)) < 1e-4, $"pitch {pitch}: {gained[3, pitch].item<float>()} against {Expected(pitch % 12)}");
        Assert.True((a - b)[.., .., ..at].abs().max().item<float>() < 1e-6, "nothing but the pitch scores changes");
    }

    /// <summary>An untrained G scores the pitches about alike; given C major triads as its songs' keys, the prior puts
    /// most of its pitches on C, E and G, against a quarter without.</summary>
    [Fact]
    public void FreeRunningTonesFollowTheDrawnKey()
    {
        double InTriad(double weight)
        {
            using var scope = NewDisposeScope();
            torch.manual_seed(7);
            var g = KeyedGenerator(weight);
            g.SetSongTraits(Triads(32));
            g.eval();
            using var noGrad = no_grad();
            int at = g.PitchOneHotOffset;
            var classes = g.Sample(20, 24)[.., .., at..(at + 128)].argmax(-1).remainder(12);
            return (classes.eq(0) | classes.eq(4) | classes.eq(7)).to(float32).mean().item<float>();
        }
        double without = InTriad(0), with = InTriad(1.5);
        Assert.True(without < 0.4, $"without the prior {without:P0} of tones in the triad");
        Assert.True(with > 0.85, $"with the prior {with:P0} of tones in the triad");
    }

    private static Generator KeyedGenerator(double weight) =>
        new(new ModelConfig(4, Hidden: 9, Layers: 2, Dropout: 0.3, PitchChoice: true, SongTraits: true, SongKeyTraits: true, KeyPrior: weight), Scaling);

    /// <summary>Windows of C, E and G in any octave from C3 up.</summary>
    private static Tensor Triads(int songs)
    {
        var triad = tensor(new long[] { 0, 4, 7 });
        var pitches = triad.index_select(0, randint(0, 3, [songs * 12])).reshape(songs, 12) + 48 + 12 * randint(0, 3, [songs, 12]);
        return ChoiceHeadTests.EighthNotes(pitches, Scaling);
    }
}
