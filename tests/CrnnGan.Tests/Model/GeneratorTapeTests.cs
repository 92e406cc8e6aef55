using CrnnGan.Model;
using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

[Collection(TorchCollection.Name)]
public class GeneratorTapeTests
{
    public GeneratorTapeTests() => TorchRuntime.EnsureLoaded();

    /// <summary>The hand-written backward pass against autograd through the same free-running pass.</summary>
    [Theory]
    [InlineData(1, 4, true)]
    [InlineData(2, 4, true)]
    [InlineData(3, 10, true)]
    [InlineData(2, 4, false)]
    [InlineData(2, 4, true, 3)]
    [InlineData(2, 4, true, 0, 2)]
    public void TheTapesGradientsAreAutogradsGradients(int layers, int features, bool training, int songNoise = 0, int pitchClassOutputs = 0)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = new Generator(new ModelConfig(features, Hidden: 9, Layers: layers, Dropout: 0.3, SongNoiseSize: songNoise, PitchClassOutputs: pitchClassOutputs));
        g.train(training);
        AssertTapeMatchesAutograd(g);
    }

    /// <summary>G's tape and autograd through the same free-running pass (seeded alike) give the same events and gradients.</summary>
    internal static void AssertTapeMatchesAutograd(Generator g)
    {
        var upstream = torch.randn(4, 7, g.Config.OutputCount);

        torch.manual_seed(11);
        var (taped, tape) = g.SampleWithTape(4, 7);
        tape.Backward(upstream);
        var tapeGradients = g.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());

        g.zero_grad();
        torch.manual_seed(11);
        var viaAutograd = g.Sample(4, 7);
        (viaAutograd * upstream).sum().backward();

        // Equal up to rounding: the tape applies the sigmoid to all four gates at once, a vector kernel's tail may round differently.
        Assert.True(torch.allclose(viaAutograd.detach(), taped, rtol: 1e-5, atol: 1e-6),
            $"events differ by up to {(viaAutograd.detach() - taped).abs().max().item<float>()}");
        Assert.False(taped.requires_grad);
        foreach (var (name, parameter) in g.named_parameters())
        {
            var expected = parameter.grad!;
            Assert.Equal(expected.dtype, tapeGradients[name].dtype);
            Assert.True(expected.abs().max().item<float>() > 0, $"{name}: autograd's gradient is zero, the test would prove nothing");
            Assert.True(torch.allclose(tapeGradients[name], expected, rtol: 1e-4, atol: 1e-5),
                $"{name}: largest difference {(tapeGradients[name] - expected).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void BackwardAddsToGradientsAlreadyThere()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = new Generator(new ModelConfig(4, Hidden: 6));
        var upstream = torch.randn(2, 5, 4);
        var (_, tape) = g.SampleWithTape(2, 5);
        tape.Backward(upstream);
        var once = g.parameters().Select(p => p.grad!.clone()).ToList();
        tape.Backward(upstream);
        foreach (var (parameter, single) in g.parameters().Zip(once))
            Assert.True(torch.allclose(parameter.grad!, single * 2, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void SongNoiseIsDrawnOncePerSongAndKeptAtEveryStep()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = new Generator(new ModelConfig(4, Hidden: 6, SongNoiseSize: 3));
        var (noise, _) = g.Noise(5, 7);
        Assert.Equal(new long[] { 5, 7, 4 + 3 }, noise.shape);
        var song = noise[.., .., 4..];
        Assert.True(torch.allclose(song, song[.., ..1].expand(5, 7, 3), rtol: 0, atol: 0), "the song values change between steps");
        Assert.True((song[0, 0] - song[1, 0]).abs().max().item<float>() > 0, "two songs got the same song values");
        var step = noise[.., .., ..4];
        Assert.True((step[.., 0] - step[.., 1]).abs().max().item<float>() > 0, "the per-step values do not change between steps");
    }

    [Fact]
    public void WithoutSongNoiseTheNoiseIsThePapersPerStepNoiseAndDrawsAsBefore()
    {
        using var scope = NewDisposeScope();
        var plain = new Generator(new ModelConfig(4, Hidden: 6));
        torch.manual_seed(5);
        var (noise, first) = plain.Noise(2, 3);
        torch.manual_seed(5);
        var expected = torch.rand(2, 3, 4);
        Assert.True(torch.allclose(noise, expected, rtol: 0, atol: 0));
        Assert.Equal(new long[] { 2, 4 }, first.shape);
    }
}
