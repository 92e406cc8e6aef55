using CrnnGan.Runtime;

namespace CrnnGan.Tests.Runtime;

public class HeapTuningTests
{
    [Fact]
    public void OnLinuxTheAllocatorThresholdsAreRaisedWhenTorchIsLoaded()
    {
        TorchRuntime.EnsureLoaded();
        Assert.Equal(OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("CRNNGAN_HEAP_TUNING") != "0", HeapTuning.Applied);
    }
}
