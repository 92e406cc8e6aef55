using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Runtime;

[Collection(TorchCollection.Name)]
public class OneDnnTests
{
    [Fact]
    public void TheSwitchIsFoundTurnsOffAndComesBack()
    {
        Assert.True(OneDnn.IsAvailable, "libtorch's at::Context symbols were not found");
        bool before = OneDnn.Enabled;
        using (OneDnn.Use(!before))
            Assert.Equal(!before, OneDnn.Enabled);
        Assert.Equal(before, OneDnn.Enabled);
    }

    [Fact]
    public void AnLstmGivesTheSameOutputAndInputGradientEitherWay()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(2);
        var lstm = nn.LSTM(4, 16, 2, batchFirst: true, bidirectional: true);
        var x = torch.randn(3, 9, 4);
        (Tensor Output, Tensor Gradient) Run(bool oneDnn)
        {
            using var _ = OneDnn.Use(oneDnn);
            var input = x.clone().requires_grad_(true);
            var (y, _, _) = lstm.call(input, null);
            y.square().sum().backward();
            return (y.detach(), input.grad!.clone());
        }
        var on = Run(true);
        var off = Run(false);
        Assert.True(torch.allclose(on.Output, off.Output, rtol: 1e-4, atol: 1e-5));
        Assert.True(torch.allclose(on.Gradient, off.Gradient, rtol: 1e-4, atol: 1e-5));
    }
}
