using CrnnGan.Model;
using CrnnGan.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Model;

[Collection(TorchCollection.Name)]
public class FusedLstmTests
{
    public FusedLstmTests() => TorchRuntime.EnsureLoaded();

    /// <summary>libtorch's own LSTM, the reference: outputs, then the gradients of input and weights for a random
    /// upstream gradient.</summary>
    private static (Tensor Output, Tensor InputGradient, Tensor[] WeightGradients) Reference(LSTM lstm, Tensor input, Tensor upstream)
    {
        using var x = input.clone().requires_grad_(true);
        var (output, _, _) = lstm.call(x, null);
        (output * upstream).sum().backward();
        var weights = lstm.parameters().Select(p => p.grad!.clone()).ToArray();
        lstm.zero_grad();
        return (output.detach(), x.grad!.clone(), weights);
    }

    private static (Tensor Output, Tensor InputGradient, Tensor[] WeightGradients) Fused(LSTM lstm, Tensor input, Tensor upstream, int directions, Tensor?[] masks)
    {
        using var x = input.clone().requires_grad_(true);
        var output = FusedLstm.Run(x, lstm.parameters().ToArray<Tensor>(), directions, masks);
        (output * upstream).sum().backward();
        var weights = lstm.parameters().Select(p => p.grad!.clone()).ToArray();
        lstm.zero_grad();
        return (output.detach(), x.grad!.clone(), weights);
    }

    [Theory]
    [InlineData(1, false, 6, 7)]
    [InlineData(2, true, 6, 7)]
    [InlineData(3, true, 20, 5)]
    [InlineData(2, false, 37, 4)]
    [InlineData(2, true, 9, 1)]
    public void ItComputesWhatLibtorchsLstmComputesWithTheSameGradients(int layers, bool bidirectional, int hidden, int length)
    {
        torch.manual_seed(11);
        using var lstm = nn.LSTM(5, hidden, layers, batchFirst: true, bidirectional: bidirectional);
        using var input = randn(3, length, 5);
        int directions = bidirectional ? 2 : 1;
        using var upstream = randn(3, length, directions * hidden);

        var expected = Reference(lstm, input, upstream);
        var actual = Fused(lstm, input, upstream, directions, new Tensor?[layers - 1]);

        Assert.True(allclose(expected.Output, actual.Output, rtol: 1e-5, atol: 1e-6), "outputs differ");
        Assert.True(allclose(expected.InputGradient, actual.InputGradient, rtol: 1e-4, atol: 1e-5), "input gradients differ");
        var names = lstm.named_parameters().Select(p => p.name).ToArray();
        for (int i = 0; i < names.Length; i++)
            Assert.True(allclose(expected.WeightGradients[i], actual.WeightGradients[i], rtol: 1e-4, atol: 1e-5),
                $"{names[i]}: largest difference {(expected.WeightGradients[i] - actual.WeightGradients[i]).abs().max().item<float>()}");
    }

    [Fact]
    public void WithMasksBetweenLayersItComputesWhatLayersWithTheMasksBetweenThemCompute()
    {
        torch.manual_seed(12);
        const int hidden = 8, layers = 3;
        using var lstm = nn.LSTM(4, hidden, layers, batchFirst: true, bidirectional: true);
        var masks = Enumerable.Range(0, layers - 1)
            .Select(_ => (Tensor?)bernoulli(full(new long[] { 2, 6, 2 * hidden }, 0.7)).div_(0.7)).ToArray();
        using var input = randn(2, 6, 4);
        using var upstream = randn(2, 6, 2 * hidden);

        // One layer at a time, each a one-layer LSTM holding that layer's weights.
        var single = Enumerable.Range(0, layers).Select(l => nn.LSTM(l == 0 ? 4 : 2 * hidden, hidden, 1, batchFirst: true, bidirectional: true)).ToArray();
        var source = lstm.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            for (int l = 0; l < layers; l++)
                foreach (var (name, p) in single[l].named_parameters())
                    p.copy_(source[name.Replace("_l0", $"_l{l}")]);
        using var x1 = input.clone().requires_grad_(true);
        var h = (Tensor)x1;
        for (int l = 0; l < layers; l++)
        {
            if (l > 0) h = h * masks[l - 1]!;
            (h, _, _) = single[l].call(h, null);
        }
        (h * upstream).sum().backward();

        var actual = Fused(lstm, input, upstream, 2, masks);

        Assert.True(allclose(h.detach(), actual.Output, rtol: 1e-5, atol: 1e-6));
        Assert.True(allclose(x1.grad!, actual.InputGradient, rtol: 1e-4, atol: 1e-5));
        var expectedMiddle = single[1].named_parameters().First(p => p.name == "weight_hh_l0_reverse").parameter.grad!;
        var actualMiddle = actual.WeightGradients[lstm.named_parameters().Select(p => p.name).ToList().IndexOf("weight_hh_l1_reverse")];
        Assert.True(allclose(expectedMiddle, actualMiddle, rtol: 1e-4, atol: 1e-5));
        foreach (var layer in single) layer.Dispose();
    }

    [Fact]
    public void WeightsThatNeedNoGradientGetNoneAndTheInputStillGetsItsOwn()
    {
        torch.manual_seed(13);
        using var lstm = nn.LSTM(3, 7, 2, batchFirst: true, bidirectional: true);
        using var input = randn(2, 5, 3);
        using var upstream = randn(2, 5, 14);
        var expected = Reference(lstm, input, upstream);
        var frozen = lstm.parameters().Select(p => p.detach()).ToArray();

        using var x = input.clone().requires_grad_(true);
        (FusedLstm.Run(x, frozen, 2, [null]) * upstream).sum().backward();

        Assert.True(allclose(expected.InputGradient, x.grad!, rtol: 1e-4, atol: 1e-5));
        Assert.All(lstm.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void WithoutAutogradItStillComputesTheOutputs()
    {
        torch.manual_seed(14);
        using var lstm = nn.LSTM(3, 5, 2, batchFirst: true);
        using var input = randn(4, 6, 3);
        using var noGrad = no_grad();
        var (expected, _, _) = lstm.call(input, null);
        var actual = FusedLstm.Run(input, lstm.parameters().ToArray<Tensor>(), 1, [null]);
        Assert.False(actual.requires_grad);
        Assert.True(allclose(expected, actual, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void PassesOneAfterAnotherOnLentBuffersGiveTheSameNumbers()
    {
        torch.manual_seed(15);
        using var lstm = nn.LSTM(3, 6, 2, batchFirst: true, bidirectional: true);
        using var input = randn(2, 5, 3);
        using var upstream = randn(2, 5, 12);
        var first = Fused(lstm, input, upstream, 2, [null]);
        // Another shape between them, then the same again: the buffers come back with the last pass's numbers in them.
        using (var other = randn(4, 3, 3)) Fused(lstm, other, randn(4, 3, 12), 2, [null]);
        var second = Fused(lstm, input, upstream, 2, [null]);
        static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();
        Assert.True(Same(first.Output, second.Output));
        Assert.True(Same(first.InputGradient, second.InputGradient));
        Assert.All(first.WeightGradients.Zip(second.WeightGradients), pair => Assert.True(Same(pair.First, pair.Second)));
    }

    [Fact]
    public void ABufferGivenBackIsLentAgainForItsShapeAndOnlyForIt()
    {
        var buffer = LstmBuffers.Rent(3, 7, 11);
        LstmBuffers.Return(buffer);
        var other = LstmBuffers.Rent(3, 7, 12);
        var again = LstmBuffers.Rent(3, 7, 11);
        Assert.Same(buffer, again);
        Assert.NotSame(buffer, other);
        Assert.Equal(new long[] { 3, 7, 12 }, other.shape);
        LstmBuffers.Return(again);
        LstmBuffers.Return(other);
    }
}
