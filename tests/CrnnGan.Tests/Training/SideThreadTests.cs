using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Training;

[Collection(TorchCollection.Name)]
public class SideThreadTests
{
    public SideThreadTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void BothSidesRunOnTheirOwnThreadsWithTheirOwnThreadCounts()
    {
        using var side = new SideThread("test");
        int before = torch.get_num_threads();
        int callerThread = Environment.CurrentManagedThreadId;
        int ownThreads = 0, sideThreads = 0, sideThread = 0;
        float ownSum = 0, sideSum = 0;
        side.RunBeside(
            () =>
            {
                ownThreads = torch.get_num_threads();
                using var a = ones(50, 50);
                ownSum = a.matmul(a).sum().item<float>();
            }, 1,
            () =>
            {
                sideThreads = torch.get_num_threads();
                sideThread = Environment.CurrentManagedThreadId;
                using var a = full(new long[] { 40, 40 }, 2f);
                sideSum = a.matmul(a).sum().item<float>();
            }, 3);

        Assert.Equal(1, ownThreads);
        Assert.Equal(3, sideThreads);
        Assert.NotEqual(callerThread, sideThread);
        Assert.Equal(50f * 50 * 50, ownSum);
        Assert.Equal(40f * 40 * 160, sideSum);
        Assert.Equal(before, torch.get_num_threads());
    }

    [Fact]
    public void TheSideWaitsForNothingButTheCallerWaitsForTheSide()
    {
        using var side = new SideThread("test");
        bool sideDone = false;
        side.RunBeside(() => { }, 1, () =>
        {
            Thread.Sleep(200);
            sideDone = true;
        }, 1);
        Assert.True(sideDone);
    }

    [Fact]
    public void AFailureOnEitherSideIsThrownAfterBothFinished()
    {
        using var side = new SideThread("test");
        int before = torch.get_num_threads();
        bool sideFinished = false;
        var own = Assert.Throws<InvalidOperationException>(() => side.RunBeside(
            () => throw new InvalidOperationException("own"), 1,
            () =>
            {
                Thread.Sleep(100);
                sideFinished = true;
            }, 1));
        Assert.Equal("own", own.Message);
        Assert.True(sideFinished);

        var fromSide = Assert.Throws<TrainingDivergedException>(() => side.RunBeside(
            () => { }, 1, () => throw new TrainingDivergedException("side"), 1));
        Assert.Equal("side", fromSide.Message);
        Assert.Equal(before, torch.get_num_threads());

        // The thread is still there for the next call.
        bool ran = false;
        side.RunBeside(() => { }, 1, () => ran = true, 1);
        Assert.True(ran);
    }
}
