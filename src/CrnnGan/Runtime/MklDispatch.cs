using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace CrnnGan.Runtime;

/// <summary>
/// Lets libtorch's MKL use its AVX-512 kernels on non-Intel CPUs that have AVX-512 (AMD Zen 4 and 5). MKL (2024.0,
/// linked into libtorch_cpu.so) picks its GEMM kernels by the CPU's features only on Intel CPUs; elsewhere it takes its
/// AVX2 path whatever the CPU can do: on a 2-core AMD EPYC (Zen 5) a 2048^3 product ran at 31-84 GFLOP/s on one
/// thread, the step's LSTM-sized products at 80 against 190 GFLOP/s (bench/README.md). MKL asks
/// <c>mkl_serv_intel_cpu</c> whether the CPU is Intel through the library's PLT; this points the library's GOT slots
/// of that function (and of <c>mkl_serv_intel_cpu_true</c>) at a three-instruction function returning 1, before MKL
/// first looks, so that MKL selects its kernel by the features it reads with cpuid, as on Intel. The arithmetic stays
/// float32 (another kernel's order of sums, so results differ in the last bits from the AVX2 path's).
/// Applied only on x86-64 Linux CPUs that are not Intel's and report AVX-512 F, BW, DQ and VL; on Intel it would change
/// nothing, and without AVX-512 MKL's own choice stands. <c>CRNNGAN_MKL_AVX512=0</c> turns it off.
/// </summary>
public static class MklDispatch
{
    private static readonly HashSet<string> Functions = ["mkl_serv_intel_cpu", "mkl_serv_intel_cpu_true"];
    private static IntPtr _stub;

    /// <summary>Whether MKL's GOT slots now answer "Intel".</summary>
    public static bool Applied { get; private set; }

    /// <summary>What <see cref="Apply"/> did or why it did nothing, in a few words.</summary>
    public static string Status { get; private set; } = "not tried";

    /// <summary>Whether a CPU of this <paramref name="vendor"/> with (or without) AVX-512 F/BW/DQ/VL gets the patch
    /// under the setting <paramref name="setting"/> of CRNNGAN_MKL_AVX512.</summary>
    public static bool Wanted(string vendor, bool avx512, string? setting) =>
        setting?.Trim() != "0" && vendor != "GenuineIntel" && avx512;

    /// <summary>The CPU's vendor string from cpuid ("GenuineIntel", "AuthenticAMD", ...; "" off x86).</summary>
    public static string CpuVendor()
    {
        if (!X86Base.IsSupported) return "";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        var bytes = new byte[12];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), ebx);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), edx);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), ecx);
        return Encoding.ASCII.GetString(bytes);
    }

    public static bool HasAvx512 =>
        Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported;

    /// <summary>Patches libtorch_cpu.so's slots once it is loaded (called by <see cref="TorchRuntime.EnsureLoaded"/>).</summary>
    internal static void Apply() => Status = LoadedLibraries.Patch(ApplyOrSay);

    private static string ApplyOrSay()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return "not applied: not x86-64 Linux";
        string vendor = CpuVendor();
        if (!Wanted(vendor, HasAvx512, Environment.GetEnvironmentVariable("CRNNGAN_MKL_AVX512")))
            return Environment.GetEnvironmentVariable("CRNNGAN_MKL_AVX512")?.Trim() == "0" ? "off (CRNNGAN_MKL_AVX512=0)"
                : $"not needed ({(vendor == "GenuineIntel" ? "Intel CPU" : "no AVX-512")})";
        if (LoadedLibraries.Find("libtorch_cpu.so") is not var (path, baseAddress, ranges)) return "not applied: libtorch_cpu.so is not loaded";
        var (slots, relroStart, relroEnd) = ElfJumpSlots.Read(path, Functions);
        if (slots.Count == 0) return "not applied: this libtorch has no MKL CPU check to answer";
        IntPtr library = NativeLibrary.Load(path);
        foreach (var slot in slots)
        {
            // The file on disk must be the library in memory: the function's exported address matches its symbol.
            if (slot.DefinedAt != 0 && (!NativeLibrary.TryGetExport(library, slot.Name, out IntPtr export)
                                        || (ulong)export != baseAddress + slot.DefinedAt))
                return $"not applied: {path} on disk does not match the loaded library";
            ulong current = (ulong)Marshal.ReadIntPtr((IntPtr)(long)(baseAddress + slot.SlotAddress));
            if (!ranges.Any(r => current >= r.Start && current < r.End))
                return $"not applied: {slot.Name} is already answered from outside libtorch";
        }
        _stub = _stub != 0 ? _stub : LoadedLibraries.ExecutableCode([0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3], "MKL's CPU answer"); // mov eax, 1; ret
        foreach (var slot in slots)
        {
            bool readOnly = slot.SlotAddress >= relroStart && slot.SlotAddress < relroEnd;
            if (!LoadedLibraries.WriteSlot(baseAddress + slot.SlotAddress, readOnly, _stub)) return "not applied: cannot unprotect the GOT";
        }
        Applied = true;
        return $"applied ({vendor}, AVX-512)";
    }

    /// <summary>What MKL reports of the CPU: its detected code path (7: AVX-512 in MKL's numbering) and the Intel check.</summary>
    public static string Describe()
    {
        TorchRuntime.EnsureLoaded();
        string Call(string name) => NativeLibrary.TryLoad("libtorch_cpu.so", out IntPtr library)
            && NativeLibrary.TryGetExport(library, name, out IntPtr f) ? Marshal.GetDelegateForFunctionPointer<IntFunction>(f)().ToString(CultureInfo.InvariantCulture) : "-";
        return $"MKL AVX-512 dispatch {Status}; MKL cpu_detect {Call("mkl_serv_cpu_detect")}";
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int IntFunction();
}
