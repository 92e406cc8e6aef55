using CrnnGan.Data;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Training;

[Collection(TorchCollection.Name)]
public class WrittenEventsTests
{
    private static readonly FeatureScaling scaling =
        new(new OffsetScale(200, 150), new OffsetScale(3, 1), new OffsetScale(70, 20), new OffsetScale(100, 120));

    public WrittenEventsTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void ClampedTimesBelowZeroBecomeTheRealChordsZeroAndPassNoGradient()
    {
        // Unscaled times -50, 0, 0.4, 30 ticks; the other values are arbitrary and must pass unchanged.
        float[] times = [-50, 0, 0.4f, 30];
        var values = times.SelectMany(t => new[] { 384f, 440, 80, t }).ToArray();
        using var events = tensor(scaling.Scale(new EncodedSong(1, values))).reshape(1, 4, 4).requires_grad_();
        using var clamped = WrittenEvents.ClampTimeAtZero(events, 1, scaling);

        float realChord = scaling.Scale(new EncodedSong(1, [384f, 440, 80, 0]))[3];
        Assert.Equal([realChord, realChord], clamped[0, ..2, 3].data<float>().ToArray());
        Assert.True(clamped[0, 2, 3].item<float>() > realChord);
        Assert.True(torch.eq(events[.., .., ..3], clamped[.., .., ..3]).all().item<bool>());
        Assert.True(torch.eq(events[0, 2..], clamped[0, 2..]).all().item<bool>());

        clamped.sum().backward();
        using var grad = events.grad!;
        Assert.Equal([0f, 0.5f, 1, 1], grad[0, .., 3].data<float>().ToArray()); // -50 is cut; torch.maximum halves a tie
        Assert.Equal(12f, grad[0, .., ..3].sum().item<float>());
    }
}
