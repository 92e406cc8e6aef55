using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.length_after_pitch</c>: G draws the length after the pitch and time, scored also by them.</summary>
[Collection(TorchCollection.Name)]
public class LengthAfterPitchTests
{
    public LengthAfterPitchTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData("model.length_choice=0")]
    [InlineData("model.pitch_choice=false")]
    public void WithoutPitchAndLengthChoicesItIsRefusedByName(string missing)
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With("model.pitch_class_head=false",
            "model.pitch_choice=true", "model.length_choice=48", "model.length_after_pitch=true", missing).Validate());
        Assert.Equal("model.length_after_pitch", error.Key);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(96)]
    public void TheTapesGradientsAreAutogradsGradients(int timeGrid)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = new Generator(new ModelConfig(4, Hidden: 9, Layers: 2, Dropout: 0.3, PitchChoice: true, TimeChoiceGrid: timeGrid, LengthChoiceGrid: 96,
            LengthAfterPitch: true));
        using (no_grad()) g.LengthAfter!.Scores.weight!.normal_(); // away from its zero start, so that it shows in the gradients
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    /// <summary>Songs of eighth-note onsets where low tones (below C4) are held a whole note and high ones a sixteenth,
    /// each tone low or high at random. Free running, G drawing the length after the pitch holds the low tones and
    /// cuts the high ones; drawn side by side from one state, the length cannot know which pitch it goes with.</summary>
    [Fact]
    public void PretrainedOnLowLongAndHighShortTonesGGivesEachPitchItsLength()
    {
        double with = MatchedLengths(after: true);
        double without = MatchedLengths(after: false);
        Assert.True(with > 0.85, $"with the length after the pitch, {with:P0} of tones have their pitch's length");
        Assert.True(without < 0.7, $"without, {without:P0}");
    }

    private static double MatchedLengths(bool after)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(6);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 16, Layers: 1, Dropout: 0, PitchChoice: true, LengthChoiceGrid: 96, LengthAfterPitch: after), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        var random = new Random(7);
        Tensor Songs(int songs)
        {
            var low = randint(0, 2, [songs, 12]);
            var events = ChoiceHeadTests.EighthNotes(low.mul(-24).add(72), scaling);
            events[.., .., 0] = where(low.eq(1), scaling.Length.Forward(4 * 384), scaling.Length.Forward(96));
            return g.Choices!.WithChoices(events);
        }
        for (int step = 0; step < 150; step++)
        {
            using var stepScope = NewDisposeScope();
            var real = Songs(16);
            optimizer.zero_grad();
            g.Choices!.NextEventLoss(g.TeacherForced(real), real).backward();
            optimizer.step();
        }
        using var noGrad = no_grad();
        g.eval();
        var notes = SongSampler.Sample(g, scaling, 1, 30, 12).SelectMany(s => s.Notes).ToList();
        return notes.Count(n => n.Pitch < 60 ? n.LengthTicks == 4 * 384 : n.LengthTicks == 96) / (double)notes.Count;
    }
}
