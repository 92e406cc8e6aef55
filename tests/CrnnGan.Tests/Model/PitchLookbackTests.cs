using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.pitch_lookback</c>: G reads the pitches it chose a few events back beside its previous event.</summary>
[Collection(TorchCollection.Name)]
public class PitchLookbackTests
{
    public PitchLookbackTests() => TorchRuntime.EnsureLoaded();

    private static ModelConfig Config(int lookback, int hidden = 9, double dropout = 0.3, int timeGrid = 0) =>
        new(4, Hidden: hidden, Layers: 2, Dropout: dropout, PitchChoice: true, TimeChoiceGrid: timeGrid, PitchLookback: lookback);

    [Theory]
    [InlineData("model.pitch_lookback", "model.pitch_lookback=4")]
    [InlineData("model.pitch_lookback", "model.pitch_lookback=65", "model.pitch_class_head=false", "model.pitch_choice=true")]
    public void SettingsThatCannotGoTogetherAreRefusedByName(string key, params string[] settings)
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With(settings).Validate());
        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 32)]
    public void TheTapesGradientsAreAutogradsGradients(int lookback, int timeGrid)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = new Generator(Config(lookback, timeGrid: timeGrid));
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    [Fact]
    public void TeacherForcedStepTSeesNoEventFromTOn()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        var g = new Generator(Config(2));
        g.eval();
        var head = g.Choices!;
        var scaling = FeatureScaling.Default;
        float[] Song(int third) => [.. new[] { 60, 62, third, 65, 67, 69, 71 }.SelectMany(p =>
            new[] { 192f, (float)Tuning.PitchToFrequency(p), 80f, 192f })];
        var a = head.WithChoices(tensor(scaling.Scale(new EncodedSong(1, Song(64))), new long[] { 1, 7, 4 }));
        var b = head.WithChoices(tensor(scaling.Scale(new EncodedSong(1, Song(63))), new long[] { 1, 7, 4 }));
        // Event 2 differs only in its pitch: no step before 3 may see it, though steps 2 looks back at events 0 and 1.
        torch.manual_seed(5);
        var outA = g.TeacherForced(a);
        torch.manual_seed(5);
        var outB = g.TeacherForced(b);
        var differs = (outA - outB).abs().amax([0, 2]);
        Assert.True(differs[..3].eq(0).all().item<bool>(), "steps 0-2 do not see event 2");
        Assert.True(differs[3..].gt(0).all().item<bool>(), "steps 3-6 see event 2");
    }

    /// <summary>Songs repeat a motif of four random pitches: G that reads the pitch four events back learns to copy
    /// it, and free running repeats its own first four notes; G without the lookback must keep four random pitches in
    /// its state and, in the same training, repeats them far less.</summary>
    [Fact]
    public void PretrainedOnRepeatedMotifsGCopiesThePitchFourEventsBack()
    {
        double with = RepeatsAfterPretraining(lookback: 4);
        double without = RepeatsAfterPretraining(lookback: 0);
        Assert.True(with > 0.6, $"with the lookback {with:P0} of notes repeat the pitch four events back");
        Assert.True(with > without + 0.4, $"with {with:P0}, without {without:P0}");
    }

    private static double RepeatsAfterPretraining(int lookback) =>
        RepeatsAfterPretrainingOnMotifs(new ModelConfig(4, Hidden: 64, Layers: 2, Dropout: 0, PitchChoice: true, PitchLookback: lookback), 300);

    /// <summary>The share of notes repeating the pitch four events back in songs of G after <paramref name="trainingSteps"/>
    /// pretraining steps on songs that repeat a motif of four random pitches.</summary>
    internal static double RepeatsAfterPretrainingOnMotifs(ModelConfig config, int trainingSteps)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var scaling = FeatureScaling.Default;
        var g = new Generator(config, scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        Tensor Motifs(int songs) => g.Choices!.WithChoices(ChoiceHeadTests.EighthNotes(randint(48, 73, [songs, 4]).repeat(1, 4), scaling));
        ChoicePretraining.Steps(g, optimizer, () => Motifs(16), trainingSteps);
        using var noGrad = no_grad();
        g.eval();
        var songs = SongSampler.Sample(g, scaling, 1, 20, 16);
        int repeats = 0, steps = 0;
        foreach (var song in songs)
        {
            int[] pitches = song.Notes.OrderBy(n => n.StartTick).Select(n => n.Pitch).ToArray();
            for (int t = 4; t < pitches.Length; t++, steps++)
                if (pitches[t] == pitches[t - 4]) repeats++;
        }
        return repeats / (double)steps;
    }
}
