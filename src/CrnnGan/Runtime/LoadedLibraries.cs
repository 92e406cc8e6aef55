using System.Globalization;
using System.Runtime.InteropServices;

namespace CrnnGan.Runtime;

/// <summary>What the GOT patches (<see cref="MklDispatch"/>, <see cref="ScalarReleaseDelay"/>) need of the process:
/// where a loaded library lies, pages of machine code of our own, and writing one GOT slot.</summary>
internal static class LoadedLibraries
{
    /// <summary>The loaded file whose name ends in <paramref name="fileName"/>: its path, load base and mapped ranges.</summary>
    public static (string Path, ulong Base, List<(ulong Start, ulong End)> Ranges)? Find(string fileName)
    {
        string? path = null;
        ulong baseAddress = 0;
        var ranges = new List<(ulong, ulong)>();
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || !fields[5].EndsWith("/" + fileName, StringComparison.Ordinal)) continue;
            if (path is not null && fields[5] != path) continue;
            path = fields[5];
            var bounds = fields[0].Split('-');
            ulong start = ulong.Parse(bounds[0], NumberStyles.HexNumber), end = ulong.Parse(bounds[1], NumberStyles.HexNumber);
            if (ulong.Parse(fields[2], NumberStyles.HexNumber) == 0 && baseAddress == 0) baseAddress = start;
            ranges.Add((start, end));
        }
        return path is null || baseAddress == 0 ? null : (path, baseAddress, ranges);
    }

    /// <summary>Runs a patch that says what it did, or says why it could not (a file or a call it needed failed).</summary>
    public static string Patch(Func<string> applyOrSay)
    {
        try
        {
            return applyOrSay();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or DllNotFoundException
                                      or EntryPointNotFoundException or OverflowException or ArgumentException)
        {
            return $"not applied: {e.Message}";
        }
    }

    /// <summary>Zeroed read-write memory of <paramref name="bytes"/> (rounded up to pages), never freed.</summary>
    public static IntPtr AllocateZeroed(ulong bytes, string purpose)
    {
        IntPtr memory = mmap(IntPtr.Zero, (nuint)((bytes + 4095) & ~4095UL), ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (memory == -1) throw new IOException($"cannot map memory for {purpose}");
        return memory;
    }

    /// <summary>The machine <paramref name="code"/> in an executable page of its own, never freed.</summary>
    public static IntPtr ExecutableCode(byte[] code, string purpose)
    {
        IntPtr page = AllocateZeroed((ulong)code.Length, purpose);
        Marshal.Copy(code, 0, page, code.Length);
        if (mprotect(page, (nuint)((code.Length + 4095) & ~4095), ProtRead | ProtExec) != 0)
            throw new IOException($"cannot make {purpose} executable");
        return page;
    }

    /// <summary>Points the GOT slot at <paramref name="address"/> to <paramref name="target"/>, lifting RELRO's read-only
    /// protection for the write when the slot lies in it.</summary>
    public static bool WriteSlot(ulong address, bool readOnly, IntPtr target)
    {
        IntPtr page = (IntPtr)(long)(address & ~0xfffUL);
        if (readOnly && mprotect(page, 4096, ProtRead | ProtWrite) != 0) return false;
        Marshal.WriteIntPtr((IntPtr)(long)address, target);
        if (readOnly) mprotect(page, 4096, ProtRead);
        return true;
    }

    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20;

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr mmap(IntPtr address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(IntPtr address, nuint length, int protection);
}
