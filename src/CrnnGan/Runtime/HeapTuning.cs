using System.Runtime.InteropServices;

namespace CrnnGan.Runtime;

/// <summary>
/// Keeps glibc's allocator from handing tensor memory back to the kernel after every use. By default glibc serves
/// blocks above a threshold (128 KiB, raised on its own up to 32 MiB) with fresh mmap calls and trims the heap top
/// after frees, so a training step's tensors arrive as newly mapped pages, faulted in and zeroed one by one, and two
/// threads doing that contend for the process's memory map. Here blocks up to 32 MiB always come from the heap, up to
/// 256 MiB of freed memory at the main heap's top is kept, and each heap keeps 64 MiB spare, so that glibc does not
/// delete and map again a thread's whole 64 MiB heap at every step. The largest blocks of a paper-size step, oneDNN's
/// LSTM workspaces (54-78 MiB each), are still mapped for each use: kept in the heap they make a step faster but a
/// run's peak larger than 2 GiB. <c>CRNNGAN_HEAP_TUNING=max</c> keeps every freed block; <c>=M,T,P</c> sets the
/// three in MiB (mmap threshold, trim threshold, top pad; a negative pad leaves glibc's); <c>=0</c> leaves the
/// allocator as it is. Elsewhere than glibc on Linux it does nothing. The measurements are in bench/README.md.
/// </summary>
public static class HeapTuning
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;

    /// <summary>Whether the thresholds were raised (false where the allocator is not glibc's, or when turned off).</summary>
    public static bool Applied { get; private set; }

    /// <summary>The thresholds in MiB that a setting of <c>CRNNGAN_HEAP_TUNING</c> asks for (null: leave glibc alone).</summary>
    public sealed record Thresholds(int MmapMiB, int TrimMiB, int TopPadMiB);

    public static readonly Thresholds Default = new(32, 256, 64);
    public static readonly Thresholds KeepAll = new(2047, 2047, 512);

    /// <summary>Reads a setting: unset is the default, "0" is off, "max" keeps all, "M,T,P" gives the three in MiB.</summary>
    public static Thresholds? Parse(string? setting)
    {
        switch (setting?.Trim())
        {
            case null or "" or "1": return Default;
            case "0": return null;
            case "max": return KeepAll;
        }
        var parts = setting.Split(',');
        if (parts.Length == 3
            && int.TryParse(parts[0], out int mmap) && mmap is >= 0 and <= 2047
            && int.TryParse(parts[1], out int trim) && trim is >= 0 and <= 2047
            && int.TryParse(parts[2], out int pad) && pad <= 2047)
            return new Thresholds(mmap, trim, pad);
        throw new ArgumentException(
            $"CRNNGAN_HEAP_TUNING='{setting}' is not 0, 1, max or three sizes in MiB up to 2047 (mmap threshold, trim threshold, top pad; e.g. 32,256,64)");
    }

    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        Thresholds? thresholds;
        try
        {
            thresholds = Parse(Environment.GetEnvironmentVariable("CRNNGAN_HEAP_TUNING"));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"warning: {e.Message}; using the default {Default}");
            thresholds = Default;
        }
        if (thresholds is null) return;
        try
        {
            // mallopt returns 1 on success. Setting the mmap threshold also stops glibc's own adjustment of both.
            bool mmap = mallopt(MmapThreshold, thresholds.MmapMiB << 20) == 1;
            bool trim = mallopt(TrimThreshold, thresholds.TrimMiB << 20) == 1;
            bool pad = thresholds.TopPadMiB < 0 || mallopt(TopPad, thresholds.TopPadMiB << 20) == 1;
            Applied = mmap && trim && pad;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    /// <summary>
    /// Hands the heaps' free pages back to the kernel, between phases of a run whose blocks differ (G's pretraining,
    /// the adversarial steps on two threads, validation and sampling): each phase's freed blocks are of little use to
    /// the next, and without this a run's peak holds the free memory of the phases before it as well.
    /// </summary>
    public static void ReleaseFreeMemory()
    {
        if (!Applied) return;
        try
        {
            malloc_trim(0);
        }
        catch (EntryPointNotFoundException)
        {
        }
        _residentAfterRelease = Environment.WorkingSet;
    }

    /// <summary>Resident memory may grow by this much between two releases within a phase.</summary>
    public const long GrowthAllowance = 768L << 20;

    private static long _residentAfterRelease;

    /// <summary>
    /// <see cref="ReleaseFreeMemory"/>, but only once resident memory has grown by <see cref="GrowthAllowance"/> since the
    /// last release: within a paper-size adversarial epoch the heaps' free pages otherwise add about 700 MB to the
    /// peak (a whole run 2163 against 1629 MiB), while releasing them too often costs time, as the pages handed back
    /// are faulted in again (with 384 MiB the adversarial epoch took 2.6 times as long; bench/README.md, session 23).
    /// Cheap enough to call every step (it reads the resident size).
    /// </summary>
    public static void ReleaseFreeMemoryIfGrown()
    {
        if (Applied && Environment.WorkingSet > _residentAfterRelease + GrowthAllowance) ReleaseFreeMemory();
    }

    [DllImport("libc")]
    private static extern int malloc_trim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
