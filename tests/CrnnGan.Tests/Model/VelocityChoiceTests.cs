using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.velocity_choice</c>: G draws each event's velocity among 1 to 127 from its scores.</summary>
[Collection(TorchCollection.Name)]
public class VelocityChoiceTests
{
    public VelocityChoiceTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData("model.song_velocity=true", "model.song_noise=8")]
    [InlineData("model.tones_per_cell=3", "model.song_velocity=false")]
    public void BesideSongVelocitiesOrSeveralTonesItIsRefusedByName(string other, string needed)
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() =>
            TinyRuns.Config().With("model.pitch_class_head=false", "model.velocity_choice=true", other, needed).Validate());
        Assert.Equal("model.velocity_choice", error.Key);
    }

    [Fact]
    public void TheTapesGradientsAreAutogradsGradients()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = new Generator(new ModelConfig(4, Hidden: 9, Layers: 2, Dropout: 0.3, PitchChoice: true, TimeChoiceGrid: 96, VelocityChoice: true));
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    /// <summary>With every feature chosen, no value is said as a number: the next-event loss is the cross-entropies alone, not NaN.</summary>
    [Fact]
    public void WithEveryFeatureChosenTheNextEventLossIsTheCrossEntropiesAlone()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(2);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 8, Layers: 1, Dropout: 0, PitchChoice: true, TimeChoiceGrid: 96, LengthChoiceGrid: 96,
            VelocityChoice: true), scaling);
        var real = g.Choices!.WithChoices(ChoiceHeadTests.EighthNotes(randint(60, 65, [3, 6]), scaling));
        var raw = g.TeacherForced(real);
        double loss = g.Choices.NextEventLoss(raw, real).item<float>();
        double crossEntropies = g.Choices.Columns.Sum(c => nn.functional.cross_entropy(raw[.., .., c.Offset..(c.Offset + c.Table.Length)].flatten(0, 1),
            real[.., .., c.Offset..(c.Offset + c.Table.Length)].argmax(-1).flatten()).item<float>());
        Assert.True(double.IsFinite(loss), $"loss {loss}");
        Assert.Equal(crossEntropies, loss, 4);
    }

    /// <summary>Each song is played at one velocity throughout, soft (40) or loud (100), half the songs each. Free
    /// running, G choosing its velocities writes songs at one velocity, at both levels; G saying the velocity as a
    /// number learns the mean of what may come and writes songs between the two, at neither.</summary>
    [Fact]
    public void PretrainedOnSongsAtOneOfTwoVelocitiesGWritesSongsAtEither()
    {
        var (flat, soft, loud) = Sampled(choice: true);
        Assert.True(flat > 0.6, $"songs at one velocity: {flat:P0}");
        Assert.True(soft > 0.2 && loud > 0.2, $"songs at 40: {soft:P0}, at 100: {loud:P0}");
        var (_, softAsNumber, loudAsNumber) = Sampled(choice: false);
        Assert.True(softAsNumber + loudAsNumber < 0.2, $"as a number: songs at 40 {softAsNumber:P0}, at 100 {loudAsNumber:P0}");
    }

    private static (double Flat, double Soft, double Loud) Sampled(bool choice)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 24, Layers: 2, Dropout: 0, PitchChoice: true, VelocityChoice: choice), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        var random = new Random(4);
        Tensor Songs(int songs)
        {
            var events = ChoiceHeadTests.EighthNotes(randint(60, 65, [songs, 12]), scaling);
            for (int s = 0; s < songs; s++)
                events[s, .., 2] = scaling.Intensity.Forward(random.Next(2) == 0 ? 40 : 100);
            return g.Choices!.WithChoices(events);
        }
        ChoicePretraining.Steps(g, optimizer, () => Songs(16), 400);
        using var noGrad = no_grad();
        g.eval();
        var songs = SongSampler.Sample(g, scaling, 1, 40, 12).Select(s => s.Notes.Select(n => n.Velocity).ToArray()).Where(v => v.Length > 0).ToList();
        double Share(Func<int[], bool> which) => songs.Count(which) / 40.0;
        return (Share(v => v.Distinct().Count() == 1), Share(v => v.All(x => x == 40)), Share(v => v.All(x => x == 100)));
    }
}
