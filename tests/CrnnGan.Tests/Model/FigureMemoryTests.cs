using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.figure_memory</c>: G scores each pitch also by how often it came after the song's last pitches before.</summary>
[Collection(TorchCollection.Name)]
public class FigureMemoryTests
{
    public FigureMemoryTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void WithoutPitchChoiceItIsRefusedByName()
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With("model.figure_memory=true").Validate());
        Assert.Equal("model.figure_memory", error.Key);
    }

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(96, 4, true)]
    public void TheTapesGradientsAreAutogradsGradients(int timeGrid, int intervals, bool positions)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = new Generator(new ModelConfig(4, Hidden: 9, Layers: 2, Dropout: 0.3, PitchChoice: true, TimeChoiceGrid: timeGrid,
            PitchIntervals: intervals, BarPositions: positions, FigureMemory: true));
        g.train();
        using (no_grad()) // G draws mostly C4 and D4, so that the 7 steps of the check repeat pitches and use the memory
            g.Linears.Output.bias![TensorIndex.Slice(g.PitchOneHotOffset + 60, g.PitchOneHotOffset + 63, 2)].add_(8);
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    /// <summary>C D E C D: after D came E once, and after C D too. C D C E C: after C came D and E, half each.</summary>
    [Fact]
    public void EachPitchHasTheShareOfEarlierContinuationsThatWentToIt()
    {
        using var scope = NewDisposeScope();
        var features = FigureMemory.Features(tensor(new long[,] { { 60, 62, 64, 60, 62, 0 }, { 60, 62, 60, 64, 60, 0 } }));
        Assert.Equal(new long[] { 2, 6, 2, 128 }, features.shape);

        var first = features[0, 5];
        Assert.Equal(1f, first[0, 64].item<float>());
        Assert.Equal(1f, first[1, 64].item<float>());
        Assert.Equal(1f, first.sum().item<float>() / 2);
        Assert.Equal(1f, features[0, 4, 0, 62].item<float>()); // after C (event 3) came D once before
        Assert.Equal(0f, features[0, 4, 1].sum().item<float>()); // E C never came before
        Assert.Equal(0f, features[0, ..2].abs().sum().item<float>()); // nothing before step 2 to go on from

        var second = features[1, 5];
        Assert.Equal(0.5f, second[0, 62].item<float>());
        Assert.Equal(0.5f, second[0, 64].item<float>());
        Assert.Equal(0f, second[1].sum().item<float>()); // E C never came before
    }

    [Fact]
    public void TeacherForcedFeaturesEqualThoseOfOneStepAtATime()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        var pitches = randint(60, 65, [3, 40]); // five pitches: many repeats
        var all = FigureMemory.Features(pitches);
        for (int t = 0; t < 40; t++)
            Assert.True(allclose(all[.., t], FigureMemory.FeaturesAt(pitches, t), rtol: 1e-6, atol: 1e-6), $"step {t}");
        Assert.True(all[.., 10..].sum().item<float>() > 0, "the scores are there");
    }

    /// <summary>Each song plays a figure of 3 to 6 different pitches over and over. Teacher forced on new songs from the
    /// 14th note on, G with figure memory gives the figure's next pitch most of its probability; without, an LSTM as
    /// small and as briefly trained must hold figures of any length in its state, and does far worse.</summary>
    [Fact]
    public void PretrainedOnRepeatedFiguresGExpectsTheFiguresNextPitch()
    {
        double with = NextPitchProbability(memory: true);
        double without = NextPitchProbability(memory: false);
        Assert.True(with > 0.7, $"with figure memory G gives the next pitch {with:P0}");
        Assert.True(with > without + 0.2, $"with {with:P0}, without {without:P0}");
    }

    private static double NextPitchProbability(bool memory)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 32, Layers: 2, Dropout: 0, PitchChoice: true, FigureMemory: memory), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        var random = new Random(5);
        Tensor Songs(int songs)
        {
            var pitches = new long[songs, 24];
            for (int s = 0; s < songs; s++)
            {
                var figure = Enumerable.Range(48, 24).OrderBy(_ => random.Next()).Take(random.Next(3, 7)).ToArray();
                for (int t = 0; t < 24; t++) pitches[s, t] = figure[t % figure.Length];
            }
            return g.Choices!.WithChoices(ChoiceHeadTests.EighthNotes(tensor(pitches), scaling));
        }
        ChoicePretraining.Steps(g, optimizer, () => Songs(16), 120);
        using var noGrad = no_grad();
        g.eval();
        var test = Songs(64);
        var raw = g.TeacherForced(test);
        int at = g.PitchOneHotOffset;
        var probabilities = raw[.., 14.., at..(at + 128)].softmax(-1);
        var next = test[.., 14.., at..(at + 128)];
        return (probabilities * next).sum(-1).mean().item<float>();
    }
}
