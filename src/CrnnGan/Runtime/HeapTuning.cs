using System.Runtime.InteropServices;

namespace CrnnGan.Runtime;

/// <summary>
/// Keeps glibc's allocator from handing tensor memory back to the kernel after every use. By default glibc serves
/// blocks above a threshold (128 KiB, raised on its own up to 32 MiB) with fresh mmap calls and trims the heap top
/// after frees, so a training step's tensors arrive as newly mapped pages, faulted in and zeroed one by one, and two
/// threads doing that contend for the process's memory map. Here blocks up to 32 MiB come from the heap and up to
/// 256 MiB of freed memory at its top is kept for reuse. <c>CRNNGAN_HEAP_TUNING=max</c> keeps every freed block
/// (faster, but a whole training run then holds its peak of every phase: 2.3 GiB on the classical corpus against 1.9);
/// <c>CRNNGAN_HEAP_TUNING=0</c> leaves the allocator as it is. Elsewhere than glibc on Linux it does nothing. The
/// measurements are in bench/README.md.
/// </summary>
public static class HeapTuning
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;

    /// <summary>Whether the thresholds were raised (false where the allocator is not glibc's, or when turned off).</summary>
    public static bool Applied { get; private set; }

    internal static void Apply()
    {
        string? setting = Environment.GetEnvironmentVariable("CRNNGAN_HEAP_TUNING");
        if (!OperatingSystem.IsLinux() || setting == "0") return;
        try
        {
            // mallopt returns 1 on success. Setting the mmap threshold also stops glibc's own adjustment of both.
            bool all = setting == "max";
            bool mmap = mallopt(MmapThreshold, all ? int.MaxValue : 32 << 20) == 1;
            bool trim = mallopt(TrimThreshold, all ? int.MaxValue : 256 << 20) == 1;
            bool pad = !all || mallopt(TopPad, 512 << 20) == 1;
            Applied = mmap && trim && pad;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
