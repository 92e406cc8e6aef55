using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.pitch_class_memory</c>: G scores each pitch also by how much its class has sounded so far in the song.</summary>
[Collection(TorchCollection.Name)]
public class PitchClassMemoryTests
{
    public PitchClassMemoryTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void WithoutPitchChoiceItIsRefusedByName()
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With("model.pitch_class_memory=true").Validate());
        Assert.Equal("model.pitch_class_memory", error.Key);
    }

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(96, 4, true)]
    public void TheTapesGradientsAreAutogradsGradients(int timeGrid, int intervals, bool positions)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = new Generator(new ModelConfig(4, Hidden: 9, Layers: 2, Dropout: 0.3, PitchChoice: true, TimeChoiceGrid: timeGrid,
            PitchIntervals: intervals, BarPositions: positions, PitchClassMemory: true));
        g.train();
        GeneratorTapeTests.AssertTapeMatchesAutograd(g);
    }

    /// <summary>After C4, E4, C5 and G3: C has half the tones, E and G a quarter each, the other classes none.</summary>
    [Fact]
    public void APitchGainsItsClassesShareAndTheUnheardScore()
    {
        using var scope = NewDisposeScope();
        const int at = 2;
        var memory = new PitchClassMemory(hidden: 3, pitchAt: at);
        using (no_grad())
        {
            memory.Weights.weight!.zero_();
            memory.Weights.bias!.copy_(tensor(new[] { 2f, -5f })); // 2 x 12 x share, -5 where unheard
        }
        var events = zeros(1, 5, at + 128 + 1);
        int[] pitches = [60, 64, 72, 55, 61];
        for (int t = 0; t < 5; t++) events[0, t, at + pitches[t]] = 1;
        var counts = memory.CountsBefore(events);
        Assert.Equal(0, counts[0, 0].sum().item<float>());
        var scored = memory.AddTo(zeros(1, at + 128 + 1), zeros(1, 3), counts[.., 4]);
        var pitchScores = scored[0, at..(at + 128)].data<float>().ToArray();
        Assert.Equal(12f, pitchScores[48]);  // C3
        Assert.Equal(6f, pitchScores[76]);  // E5
        Assert.Equal(6f, pitchScores[67]);  // G4
        Assert.Equal(-5f, pitchScores[61]); // C#4: unheard
        Assert.Equal(0, scored[0, ..at].abs().sum().item<float>() + scored[0, at + 128].item<float>());
    }

    [Fact]
    public void TeacherForcedScoresEqualThoseOfOneStepAtATime()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        const int at = 3, outputs = at + 128 + 2, length = 6;
        var memory = new PitchClassMemory(hidden: 5, pitchAt: at);
        var events = zeros(2, length, outputs);
        events[.., .., at..(at + 128)] = nn.functional.one_hot(randint(40, 80, [2, length]), 128).to(float32);
        var raw = randn(2, length, outputs);
        var hidden = randn(2, length, 5);
        var all = memory.AddTo(raw, hidden, memory.CountsBefore(events));
        var counts = zeros(2, 12);
        for (int t = 0; t < length; t++)
        {
            Assert.True(allclose(all[.., t], memory.AddTo(raw[.., t], hidden[.., t], counts), rtol: 1e-5, atol: 1e-5), $"step {t}");
            counts = counts + memory.ClassesOf(events[.., t]);
        }
        Assert.False(allclose(all[.., 3], raw[.., 3]), "the scores change");
    }

    /// <summary>Each song's notes are drawn at random from one major scale over two octaves, in a key of its own: which
    /// pitches may come is what has sounded so far. Teacher forced on new songs from the eighth note on, G scoring
    /// pitches by their class's share gives the song's scale most of its probability; G that must gather the key in its
    /// LSTM state, in as many steps, hardly more than the scale's share of the range (14 of 24 pitches).</summary>
    [Fact]
    public void PretrainedOnSongsInRandomKeysGExpectsTheSongsScale()
    {
        double with = ScaleProbability(memory: true);
        double without = ScaleProbability(memory: false);
        Assert.True(with > 0.75, $"with pitch-class memory G gives the song's scale {with:P0}");
        Assert.True(with > without + 0.15, $"with {with:P0}, without {without:P0}");
    }

    private static readonly int[] Major = [0, 2, 4, 5, 7, 9, 11];

    private static double ScaleProbability(bool memory)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var scaling = FeatureScaling.Default;
        var g = new Generator(new ModelConfig(4, Hidden: 32, Layers: 2, Dropout: 0, PitchChoice: true, PitchClassMemory: memory), scaling);
        var optimizer = optim.Adam(g.parameters(), lr: 0.01);
        var random = new Random(5);
        Tensor Songs(int songs)
        {
            var pitches = new long[songs, 24];
            for (int s = 0; s < songs; s++)
            {
                int key = random.Next(12);
                for (int t = 0; t < 24; t++) pitches[s, t] = 55 + (key + Major[random.Next(7)] + 12 * random.Next(2)) % 24;
            }
            return g.Choices!.WithChoices(ChoiceHeadTests.EighthNotes(tensor(pitches), scaling));
        }
        ChoicePretraining.Steps(g, optimizer, () => Songs(16), 120);
        using var noGrad = no_grad();
        g.eval();
        // Teacher forced on new songs, from the eighth note on: the probability G gives the song's scale.
        var test = Songs(64);
        var raw = g.TeacherForced(test);
        int at = g.PitchOneHotOffset;
        var probabilities = raw[.., 8.., at..(at + 128)].softmax(-1);
        var classes = test[.., .., at..(at + 128)].argmax(-1) % 12;
        var inScale = zeros(64, 128);
        for (int s = 0; s < 64; s++)
            foreach (long c in classes[s].data<long>().Distinct())
                for (int p = (int)c; p < 128; p += 12) inScale[s, p] = 1;
        return (probabilities * inScale.unsqueeze(1)).sum(-1).mean().item<float>();
    }
}
