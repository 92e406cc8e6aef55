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
