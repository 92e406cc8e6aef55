using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void LstmForwardAndBackwardRun()
    {
        TorchRuntime.EnsureLoaded();
        torch.manual_seed(1);
        using var lstm = nn.LSTM(4, 8, numLayers: 2, batchFirst: true);
        using var input = torch.randn(3, 5, 4);
        var (output, h, c) = lstm.call(input, null);
        using var loss = output.pow(2).mean();
        loss.backward();

        Assert.Equal(new long[] { 3, 5, 8 }, output.shape);
        Assert.All(lstm.parameters(), p =>
        {
            Assert.NotNull(p.grad);
            Assert.True(torch.isfinite(p.grad!).all().item<bool>());
        });
        Assert.True(lstm.parameters().Sum(p => p.grad!.abs().sum().item<float>()) > 0);
        output.Dispose(); h.Dispose(); c.Dispose();
    }

    [Fact]
    public void EnsureLoadedIsIdempotentAndNamesTheShim()
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.EnsureLoaded();
        if (OperatingSystem.IsLinux())
        {
            Assert.NotNull(TorchRuntime.LoadedShimPath);
            Assert.True(File.Exists(TorchRuntime.LoadedShimPath));
        }
    }

    [Fact]
    public void PatcherMarksOnlyTheNamedVersionWeak()
    {
        TorchRuntime.EnsureLoaded();
        string? shim = TorchRuntime.LoadedShimPath;
        if (shim is null) return; // not Linux: no ELF shim to inspect

        byte[] elf = File.ReadAllBytes(shim);
        var versions = ElfVersionPatcher.RequiredVersions(elf, "libstdc++.so.6");
        Assert.Contains("GLIBCXX_3.4.30", versions);

        byte[] copy = (byte[])elf.Clone();
        int changed = ElfVersionPatcher.MarkWeak(copy, new HashSet<string> { "GLIBCXX_3.4.30" });
        Assert.Equal(1, changed);
        Assert.Equal(0, ElfVersionPatcher.MarkWeak(copy, new HashSet<string> { "GLIBCXX_3.4.30" }));
        int differing = elf.Zip(copy).Count(pair => pair.First != pair.Second);
        Assert.Equal(1, differing); // one flag byte, nothing else
    }

    [Fact]
    public void PatcherRejectsNonElfData()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.RequiredVersions(new byte[100], "libstdc++.so.6"));
    }
}
