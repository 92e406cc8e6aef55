using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Runtime;

[Collection(TorchCollection.Name)]
public class MklDispatchTests
{
    [Theory]
    [InlineData("AuthenticAMD", true, null, true)]
    [InlineData("AuthenticAMD", true, "1", true)]
    [InlineData("AuthenticAMD", true, "0", false)]
    [InlineData("AuthenticAMD", false, null, false)]
    [InlineData("GenuineIntel", true, null, false)]
    [InlineData("HygonGenuine", true, " 0 ", false)]
    public void OnlyNonIntelCpusWithAvx512GetThePatchUnlessTurnedOff(string vendor, bool avx512, string? setting, bool wanted) =>
        Assert.Equal(wanted, MklDispatch.Wanted(vendor, avx512, setting));

    [Theory]
    [InlineData(null, true, false)]
    [InlineData(null, false, true)]
    [InlineData("1", true, true)]
    [InlineData("0", false, false)]
    [InlineData("", true, false)]
    public void OneDnnStartsOffWhereMklGotItsAvx512KernelsUnlessSet(string? setting, bool patched, bool on) =>
        Assert.Equal(on, OneDnn.WantedAtStart(setting, patched));

    [Fact]
    public void OneDnnIsAsTheStartSettingSays()
    {
        TorchRuntime.EnsureLoaded();
        Assert.Equal(OneDnn.WantedAtStart(Environment.GetEnvironmentVariable("CRNNGAN_ONEDNN"), MklDispatch.Applied), OneDnn.Enabled);
    }

    [Fact]
    public void TheCpuVendorIsReadOnX86()
    {
        if (!System.Runtime.Intrinsics.X86.X86Base.IsSupported) return;
        string vendor = MklDispatch.CpuVendor();
        Assert.Equal(12, vendor.Length);
        Assert.Equal(vendor, File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("vendor_id")).Split(':')[1].Trim());
    }

    [Fact]
    public void LibtorchsMklCpuCheckIsFoundAsJumpSlots()
    {
        TorchRuntime.EnsureLoaded();
        string path = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6 && f[5].EndsWith("/libtorch_cpu.so")).Select(f => f[5]).First();
        var (slots, relroStart, relroEnd) = ElfJumpSlots.Read(path, new HashSet<string> { "mkl_serv_intel_cpu", "mkl_serv_intel_cpu_true", "no_such_function" });
        Assert.Equal(["mkl_serv_intel_cpu", "mkl_serv_intel_cpu_true"], slots.Select(s => s.Name).Order());
        Assert.All(slots, s => Assert.True(s.DefinedAt > 0 && s.SlotAddress > s.DefinedAt, $"{s.Name}: slot {s.SlotAddress:x}, function {s.DefinedAt:x}"));
        Assert.True(relroEnd > relroStart);
    }

    [Fact]
    public void AFileThatIsNotElfIsRefused()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, new byte[100]);
            Assert.Throws<InvalidDataException>(() => ElfJumpSlots.Read(file, new HashSet<string> { "f" }));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void WhereWantedThePatchIsAppliedAndProductsStayFloat32Exact()
    {
        TorchRuntime.EnsureLoaded();
        bool wanted = OperatingSystem.IsLinux() && System.Runtime.Intrinsics.X86.X86Base.IsSupported
                      && MklDispatch.Wanted(MklDispatch.CpuVendor(), MklDispatch.HasAvx512, Environment.GetEnvironmentVariable("CRNNGAN_MKL_AVX512"));
        Assert.True(wanted == MklDispatch.Applied, MklDispatch.Status);
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        foreach (var (m, k, n) in new[] { (20, 350, 1400), (67, 129, 33), (1, 7, 1) })
        {
            var a = torch.randn(m, k);
            var b = torch.randn(k, n);
            var product = torch.mm(a, b);
            var reference = torch.mm(a.to(ScalarType.Float64), b.to(ScalarType.Float64)).to(ScalarType.Float32);
            Assert.True(torch.allclose(product, reference, rtol: 1e-4, atol: 1e-4), $"{m} x {k} x {n}");
        }
    }
}
