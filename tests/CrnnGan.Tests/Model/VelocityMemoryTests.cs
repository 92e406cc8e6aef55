using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;
using Xunit.Abstractions;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.velocity_memory</c>: G scores each velocity also by how often the song has played it and whether the last event had it.</summary>
[Collection(TorchCollection.Name)]
public class VelocityMemoryTests
{
    private readonly ITestOutputHelper _output;

    public VelocityMemoryTests(ITestOutputHelper output)
    {
        TorchRuntime.EnsureLoaded();
        _output = output;
    }

    [Fact]
    public void WithoutVelocityChoiceItIsRefusedByName()
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With("model.velocity_memory=true").Validate());
        Assert.Equal("model.velocity_memory", error.Key);
        Assert.Throws<ArgumentException>(() => new ModelConfig(4, PitchChoice: true, VelocityMemory: true).Validate());
    }

    [Fact]
    public void TheTapesGradientsAreAutogradsGradients()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = new Generator(new ModelConfig(4, Hidden: 9, Layers: 2, Dropout: 0.3, PitchChoice: true, TimeChoiceGrid: 96, VelocityChoice: true,
            FigureMemory: true, VelocityMemory: true));
        g.train();
        int at = g.VelocityMemory!.VelocityAt;
        using (no_grad()) // G draws mostly velocities 64 and 80, so that the 7 steps of the check repeat them
            g.Linears.Output.bias![TensorIndex.Slice(at + 63, at + 80, 16)].add_(8);
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    /// <summary>Velocities 40 40 100 40 (entries 39 and 99): after three events, two thirds at 40 and one third at 100,
    /// the last at 100.</summary>
    [Fact]
    public void EachVelocityHasItsShareOfTheEventsReadAndTheLastOnesOneHot()
    {
        using var scope = NewDisposeScope();
        var features = VelocityMemory.Features(tensor(new long[,] { { 39, 39, 99, 39 } }));
        Assert.Equal(new long[] { 1, 4, 2, 127 }, features.shape);
        Assert.Equal(0f, features[0, 0].abs().sum().item<float>()); // nothing read yet
        Assert.Equal(1f, features[0, 1, 0, 39].item<float>());
        Assert.Equal(2 / 3f, features[0, 3, 0, 39].item<float>(), 6);
        Assert.Equal(1 / 3f, features[0, 3, 0, 99].item<float>(), 6);
        Assert.Equal(1f, features[0, 3, 1, 99].item<float>());
        Assert.Equal(1f, features[0, 3, 1].sum().item<float>());
    }

    [Fact]
    public void TeacherForcedFeaturesEqualThoseOfOneStepAtATime()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        var entries = randint(60, 64, [3, 30]);
        var all = VelocityMemory.Features(entries);
        for (int t = 0; t < 30; t++)
            Assert.True(allclose(all[.., t], VelocityMemory.FeaturesAt(entries, t), rtol: 1e-6, atol: 1e-6), $"step {t}");
    }

    /// <summary>Each song is played at one velocity throughout, drawn from 20 to 119. Teacher forced on new songs from
    /// the 3rd note on, G with velocity memory gives the song's velocity most of its probability, and free running it
    /// writes most songs at one velocity; without, an LSTM as small and as briefly trained must carry the velocity in its
    /// state, and does far worse at both.</summary>
    [Fact]
    public void PretrainedOnSongsAtOneVelocityEachGKeepsTheSongsVelocity()
    {
        var (with, withFlat) = Pretrained(memory: true);
        var (without, withoutFlat) = Pretrained(memory: false);
        _output.WriteLine($"song's velocity {with:P0} with, {without:P0} without; songs at one velocity {withFlat:P0} with, {withoutFlat:P0} without");
        Assert.True(with > 0.7, $"with velocity memory G gives the song's velocity {with:P0}");
        Assert.True(with > without + 0.2, $"with {with:P0}, without {without:P0}");
        Assert.True(withFlat > 0.6, $"with velocity memory, songs at one velocity: {withFlat:P0}");
        Assert.True(withFlat > withoutFlat + 0.2, $"songs at one velocity with {withFlat:P0}, without {withoutFlat:P0}");
    }

    private static (double Probability, double Flat) Pretrained(bool memory)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 24, Layers: 2, Dropout: 0, PitchChoice: true, VelocityChoice: true, VelocityMemory: memory), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        var random = new Random(5);
        Tensor Songs(int songs)
        {
            var events = ChoiceHeadTests.EighthNotes(randint(60, 65, [songs, 12]), scaling);
            for (int s = 0; s < songs; s++)
                events[s, .., 2] = scaling.Intensity.Forward(random.Next(20, 120));
            return g.Choices!.WithChoices(events);
        }
        ChoicePretraining.Steps(g, optimizer, () => Songs(16), 150);
        using var noGrad = no_grad();
        g.eval();
        var test = Songs(64);
        var raw = g.TeacherForced(test);
        int at = g.VelocityMemory?.VelocityAt ?? g.Choices!.Columns.Single(c => c.Feature == ChosenFeature.Velocity).Offset;
        var probabilities = raw[.., 2.., at..(at + ChoiceHead.Velocities)].softmax(-1);
        var next = test[.., 2.., at..(at + ChoiceHead.Velocities)];
        double probability = (probabilities * next).sum(-1).mean().item<float>();
        var songs = SongSampler.Sample(g, scaling, 1, 40, 12).Select(s => s.Notes.Select(n => n.Velocity).ToArray()).Where(v => v.Length > 0).ToList();
        return (probability, songs.Count(v => v.Distinct().Count() == 1) / 40.0);
    }
}
