using CrnnGan.Data;
using CrnnGan.Model;
using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

[Collection(TorchCollection.Name)]
public class SongVelocityTests
{
    private static readonly int Velocity = EventLayout.IntensityIndex(0);

    public SongVelocityTests() => TorchRuntime.EnsureLoaded();

    private static Generator NewGenerator() => new(new ModelConfig(4, Hidden: 9, Dropout: 0.3, SongNoiseSize: 3, SongVelocity: true));

    private static Tensor HeadWeight(Generator g) => g.named_parameters().Single(p => p.name == "_songVelocity.weight").parameter;
    private static Tensor HeadBias(Generator g) => g.named_parameters().Single(p => p.name == "_songVelocity.bias").parameter;

    /// <summary>The same pass of G, from the same seed, as its own output (the tape's) and as written (Sample's).</summary>
    private static (Tensor Raw, Tensor Written) SampleBothWays(Generator g, long batch, long length)
    {
        torch.manual_seed(11);
        var (raw, _) = g.SampleWithTape(batch, length);
        torch.manual_seed(11);
        return (raw, g.Sample(batch, length));
    }

    [Fact]
    public void AtFirstGWritesItsOwnVelocities()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = NewGenerator();
        g.eval();
        var (raw, written) = SampleBothWays(g, 4, 7);
        Assert.True(torch.allclose(raw, written, rtol: 1e-5, atol: 1e-6)); // the tape rounds a little differently (GeneratorTapeTests)
    }

    [Fact]
    public void ASpreadOfZeroWritesEachSongAtOneVelocityOfItsOwn()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = NewGenerator();
        g.eval();
        using (no_grad())
        {
            HeadWeight(g)[0].copy_(torch.tensor(new[] { 1f, -2f, 0.5f }));
            HeadBias(g).copy_(torch.tensor(new[] { 0.2f, -1f })); // spread: relu(-1 + 0 x noise) = 0
        }
        var (raw, written) = SampleBothWays(g, 4, 7);

        var velocity = written[.., .., Velocity];
        Assert.True(torch.allclose(velocity, velocity[.., ..1].expand(4, 7), rtol: 0, atol: 0), "a song's velocity changes between steps");
        Assert.True((velocity[0, 0] - velocity[1, 0]).abs().item<float>() > 1e-3, "two songs got the same velocity");
        Assert.True((raw[.., .., Velocity] - raw[.., ..1, Velocity]).abs().max().item<float>() > 1e-3, "G's own velocities were flat already");
        var others = new long[] { 0, 1, 3 };
        Assert.True(torch.allclose(written.index_select(2, torch.tensor(others)), raw.index_select(2, torch.tensor(others)), rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void StartedFromTheCorpusShareThatShareOfSongsIsAtOneVelocity(double share)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        var g = NewGenerator();
        g.eval();
        g.StartSongVelocities(share);
        var (raw, written) = SampleBothWays(g, 2000, 6);
        var velocity = written[.., .., Velocity];

        var flat = (velocity.amax([1L]) - velocity.amin([1L])).le(1e-6);
        Assert.Equal(share, flat.to_type(ScalarType.Float64).mean().item<double>(), 0.04);
        // Over the other songs the spread is 1 on average: their velocities move as much as G's own do.
        var moving = flat.logical_not();
        double Deviation(Tensor v) => (v - v.mean([1L], keepdim: true)).abs().mean([1L])[moving].mean().item<float>();
        Assert.Equal(1.0, Deviation(velocity) / Deviation(raw[.., .., Velocity]), 0.1);
    }

    /// <summary>The trainer's path (the tape's pass, WriteVelocities with autograd, the tape's backward pass) against
    /// autograd through <see cref="Generator.Sample"/>, for every weight of G, the level's and spread's included.</summary>
    [Fact]
    public void TheTrainersGradientsThroughTheWrittenVelocitiesAreAutogradsGradients()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = NewGenerator();
        g.train();
        using (no_grad())
        {
            HeadWeight(g).copy_(torch.randn(2, 3));
            HeadBias(g).copy_(torch.tensor(new[] { 0.1f, 0.8f }));
        }
        var upstream = torch.randn(4, 7, 4);

        torch.manual_seed(11);
        var randoms = g.DrawRandoms(4, 7);
        var (raw, tape) = g.SampleWithTape(randoms);
        raw.requires_grad_(true);
        (g.WriteVelocities(raw, randoms.Noise) * upstream).sum().backward();
        tape.Backward(raw.grad!);
        var viaTrainer = g.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());

        g.zero_grad();
        torch.manual_seed(11);
        (g.Sample(4, 7) * upstream).sum().backward();
        foreach (var (name, parameter) in g.named_parameters())
        {
            var expected = parameter.grad!;
            Assert.True(expected.abs().max().item<float>() > 0, $"{name}: autograd's gradient is zero, the test would prove nothing");
            Assert.True(torch.allclose(viaTrainer[name], expected, rtol: 1e-4, atol: 1e-5),
                $"{name}: largest difference {(viaTrainer[name] - expected).abs().max().item<float>()}");
        }
    }

    [Theory]
    [InlineData(4, 0, "model.song_noise")]
    [InlineData(7, 3, "one tone per cell")]
    public void IsRefusedWithoutSongNoiseOrWithSeveralTonesPerCell(int features, int songNoise, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelConfig(features, SongNoiseSize: songNoise, SongVelocity: true).Validate());
        Assert.Contains(named, error.Message);
    }
}
