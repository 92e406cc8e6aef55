using System.Runtime.InteropServices;
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

    [Theory]
    [InlineData(null, 32, 256, 64)]
    [InlineData("", 32, 256, 64)]
    [InlineData("max", 2047, 2047, 512)]
    [InlineData("32,256,-1", 32, 256, -1)]
    [InlineData(" 128,512,0 ", 128, 512, 0)]
    public void SettingsGiveTheirThresholds(string? setting, int mmap, int trim, int pad) =>
        Assert.Equal(new HeapTuning.Thresholds(mmap, trim, pad), HeapTuning.Parse(setting));

    [Fact]
    public void ZeroTurnsTheTuningOff() => Assert.Null(HeapTuning.Parse("0"));

    [Theory]
    [InlineData("fast")]
    [InlineData("64,256")]
    [InlineData("64,x,64")]
    [InlineData("4096,256,64")]
    public void AnUnreadableSettingIsRefusedWithItsValue(string setting)
    {
        var e = Assert.Throws<ArgumentException>(() => HeapTuning.Parse(setting));
        Assert.Contains(setting, e.Message);
    }
}

public class HeapReleaseTests
{
    [Fact]
    public void ReleasingFreeMemoryHandsFreedHeapBlocksBackToTheKernel()
    {
        TorchRuntime.EnsureLoaded();
        if (!HeapTuning.Applied) return; // not glibc, or tuning turned off: nothing is kept to release

        const int blocks = 12, blockBytes = 16 << 20; // below the 32 MiB mmap threshold: served from the heap
        var pointers = new IntPtr[blocks];
        var ones = Enumerable.Repeat((byte)1, 1 << 20).ToArray();
        for (int i = 0; i < blocks; i++)
        {
            pointers[i] = Marshal.AllocHGlobal(blockBytes);
            for (int offset = 0; offset < blockBytes; offset += ones.Length) Marshal.Copy(ones, 0, pointers[i] + offset, ones.Length);
        }
        foreach (var p in pointers) Marshal.FreeHGlobal(p);
        long kept = ResidentMiB();

        HeapTuning.ReleaseFreeMemory();

        // 192 MiB were freed; the tuned heap keeps them until asked, then at least half goes back.
        Assert.True(kept - ResidentMiB() >= 96, $"resident {kept} MiB before the release, {ResidentMiB()} after");
    }

    private static long ResidentMiB() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
}
