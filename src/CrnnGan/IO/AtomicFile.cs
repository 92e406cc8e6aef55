using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CrnnGan.IO;

/// <summary>
/// Writes a file via a temporary file in the same folder and a rename, so readers never see half a file and an
/// interrupted write leaves the previous version. I/O failures name the file.
/// </summary>
/// <remarks>
/// The temporary file is <c>.NAME.PID.GUID.tmp</c>. A process killed while writing leaves it behind; the first
/// write into a folder by a later process deletes such leftovers whose process is gone (or that are over a day
/// old, in case the process id has been reused), so killed runs do not pile them up. Devices and other special
/// files (<c>/dev/stdout</c>, <c>/dev/null</c>, <c>/dev/full</c>, <c>/proc/self/fd/N</c>, ...) are written in place:
/// renaming a regular file over them would replace the device.
/// </remarks>
public static partial class AtomicFile
{
    private static readonly TimeSpan StaleAge = TimeSpan.FromDays(1);
    private static readonly ConcurrentDictionary<string, byte> CleanedFolders = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> InFlight = new(StringComparer.Ordinal);

    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        writer.Write(text);
    });

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        if (IsSpecialFile(full))
        {
            WriteInPlace(path, full, write);
            return;
        }

        string folder = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        InFlight[temp] = 0;
        try
        {
            Directory.CreateDirectory(folder);
            if (CleanedFolders.TryAdd(folder, 0))
                DeleteStaleTemporaries(folder);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new IOException($"{path}: cannot write: {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            InFlight.TryRemove(temp, out _);
        }
    }

    /// <summary>
    /// Deletes temporary files of <see cref="Write"/> in <paramref name="folder"/> that no writer will finish: their
    /// process has exited (or is this one, which is not writing them), or they are over a day old. Never throws.
    /// </summary>
    /// <returns>How many were deleted.</returns>
    public static int DeleteStaleTemporaries(string folder)
    {
        int deleted = 0;
        try
        {
            foreach (string file in Directory.EnumerateFiles(folder, ".*.tmp"))
            {
                var match = TemporaryName().Match(Path.GetFileName(file));
                if (!match.Success || InFlight.ContainsKey(file))
                    continue;
                int pid = int.TryParse(match.Groups["pid"].ValueSpan, out int p) ? p : -1;
                bool stale = pid == Environment.ProcessId || !IsRunning(pid)
                    || DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > StaleAge;
                if (stale && TryDelete(file))
                    deleted++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Tidying up is a courtesy; it must never stop the write it precedes.
        }
        return deleted;
    }

    /// <summary>An existing device, descriptor or /proc entry (also through a symbolic link) rather than a regular file.</summary>
    private static bool IsSpecialFile(string full)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(full))
            return false;
        string resolved = full;
        try
        {
            if (new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target)
                resolved = target.FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A link to something that cannot be resolved as a path, e.g. /proc/self/fd/1 -> pipe:[123].
        }
        return IsSpecialPath(full) || IsSpecialPath(resolved);
    }

    private static bool IsSpecialPath(string path) =>
        (path.StartsWith("/dev/", StringComparison.Ordinal) && !path.StartsWith("/dev/shm/", StringComparison.Ordinal))
        || path.StartsWith("/proc/", StringComparison.Ordinal);

    private static void WriteInPlace(string path, string full, Action<Stream> write)
    {
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            write(stream);
            stream.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot write: {e.Message}", e);
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid <= 0)
            return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original error matters more than a leftover temporary file.
            return false;
        }
    }

    [GeneratedRegex(@"^\..+\.(?<pid>[0-9]+)\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryName();
}
