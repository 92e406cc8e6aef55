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
    public void WorkRunsOnTheSideThreadWithItsOwnThreadCountAndItsTensorsLiveUntilTheSessionEnds()
    {
        using var side = new SideThread("test");
        int before = torch.get_num_threads();
        int callerThread = Environment.CurrentManagedThreadId;
        int ownThreads, sideThreads = 0, sideThread = 0;
        Tensor product = null!;
        using (var session = side.Session(1, 3))
        {
            ownThreads = torch.get_num_threads();
            var work = session.Start(() =>
            {
                sideThreads = torch.get_num_threads();
                sideThread = Environment.CurrentManagedThreadId;
                using var a = full(new long[] { 40, 40 }, 2f);
                product = a.matmul(a);
            });
            SideSession.Wait(work);
            // Made on the side, used here: the side's dispose scope is still open.
            Assert.Equal(40f * 40 * 160, product.sum().item<float>());
        }

        Assert.Equal(1, ownThreads);
        Assert.Equal(3, sideThreads);
        Assert.NotEqual(callerThread, sideThread);
        Assert.Equal(before, torch.get_num_threads());
        Assert.True(product.IsInvalid, "the side's tensors are disposed with the session");
    }

    [Fact]
    public void WorkRunsInTheOrderStartedAndTheSessionWaitsForAllOfIt()
    {
        using var side = new SideThread("test");
        var order = new List<int>();
        using (var session = side.Session(1, 1))
        {
            session.Start(() =>
            {
                Thread.Sleep(150);
                lock (order) order.Add(1);
            });
            session.Start(() =>
            {
                lock (order) order.Add(2);
            });
        }
        Assert.Equal([1, 2], order);
    }

    [Fact]
    public void AFailureOnTheSideIsThrownByWaitAsItWasAndTheThreadGoesOn()
    {
        using var side = new SideThread("test");
        int before = torch.get_num_threads();
        using (var session = side.Session(1, 1))
        {
            var failing = session.Start(() => throw new TrainingDivergedException("side"));
            var thrown = Assert.Throws<TrainingDivergedException>(() => SideSession.Wait(failing));
            Assert.Equal("side", thrown.Message);
            bool ran = false;
            SideSession.Wait(session.Start(() => ran = true));
            Assert.True(ran);
        }
        Assert.Equal(before, torch.get_num_threads());
    }

    [Fact]
    public void InlineSessionsRunTheWorkAtOnceOnTheCallersThread()
    {
        int before = torch.get_num_threads();
        int thread = 0;
        using (var session = SideSession.Inline())
        {
            var work = session.Start(() => thread = Environment.CurrentManagedThreadId);
            Assert.True(work.IsCompleted);
            Assert.Equal(Environment.CurrentManagedThreadId, thread);
            var failing = session.Start(() => throw new InvalidOperationException("inline"));
            Assert.Equal("inline", Assert.Throws<InvalidOperationException>(() => SideSession.Wait(failing)).Message);
        }
        Assert.Equal(before, torch.get_num_threads());
    }
}
