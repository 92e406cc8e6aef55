using System.Runtime.InteropServices;

namespace CrnnGan.Runtime;

/// <summary>
/// Keeps glibc's allocator from handing tensor memory back to the kernel after every use. By default glibc serves
/// blocks of more than 128 KiB-32 MiB with fresh mmap calls and trims the heap top after frees, so each training
/// step's tensors (up to several MiB each) arrive as newly mapped pages that are faulted in and zeroed one by one,
/// and two threads doing that contend for the process's memory map. With the thresholds raised, freed blocks stay
/// in the heap and are reused: measured on the paper's model, the adversarial iteration took 707-725 ms instead of
/// 861-863 ms (bench/README.md), for a larger resident set (about 1.5 GiB at the paper's sizes instead of 1.2).
/// Set <c>CRNNGAN_HEAP_TUNING=0</c> to leave the allocator as it is. Elsewhere than glibc on Linux it does nothing.
/// </summary>
public static class HeapTuning
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;

    /// <summary>Whether the thresholds were raised (false where the allocator is not glibc's, or when turned off).</summary>
    public static bool Applied { get; private set; }

    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("CRNNGAN_HEAP_TUNING") == "0") return;
        try
        {
            // mallopt returns 1 on success; the mmap threshold has a ceiling (32 MiB on 64-bit glibc), so ask for the most
            // it takes. The order matters: setting the mmap threshold turns off glibc's own adjustment of both.
            bool mmap = mallopt(MmapThreshold, int.MaxValue) == 1 || mallopt(MmapThreshold, 32 << 20) == 1;
            bool trim = mallopt(TrimThreshold, int.MaxValue) == 1;
            bool pad = mallopt(TopPad, 512 << 20) == 1;
            Applied = mmap && trim && pad;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
