using System.Diagnostics;
using System.Globalization;
using CrnnGan.IO;

namespace CrnnGan.Training;

/// <summary>
/// The one writer of a run folder: <see cref="Acquire"/> holds <c>run.lock</c> open with no sharing for as long as
/// the run trains, and writes the process id into <c>run.pid</c>. A second writer is refused at once, naming that
/// process. The operating system lets go of the lock when the process ends, however it ends, so a run killed before
/// it could tidy up leaves only a run.pid naming a process that holds nothing: the next writer takes over from it.
/// </summary>
/// <remarks>
/// On Linux and macOS .NET turns FileShare.None into an exclusive <c>flock</c> and FileShare.Read into a shared one,
/// so while run.lock is held no .NET process can open it even to read; that is why the id is kept beside it, in
/// run.pid. run.lock itself is never deleted: a writer deleting it on the way out could leave a second writer holding
/// the deleted file while a third creates a new one. Readers (generate, evaluate, export) take no lock: checkpoints
/// are replaced by renaming, and they read one whole in a single read.
/// </remarks>
public sealed class RunFolderLock : IDisposable
{
    public const string LockFileName = "run.lock";
    public const string PidFileName = "run.pid";

    private static readonly TimeSpan WaitForPid = TimeSpan.FromSeconds(1);

    private readonly FileStream _handle;
    private readonly bool _createdFolder;
    private bool _released;

    private RunFolderLock(string folder, FileStream handle, bool createdFolder, int? takenOverFrom)
    {
        Folder = folder;
        _handle = handle;
        _createdFolder = createdFolder;
        TakenOverFrom = takenOverFrom;
    }

    public string Folder { get; }

    /// <summary>The process named in run.pid when the lock was free: a run of it ended without letting go (killed, or the machine stopped).</summary>
    public int? TakenOverFrom { get; }

    /// <summary>Takes the lock of <paramref name="runFolder"/>, creating the folder if need be.</summary>
    /// <exception cref="RunFolderLockedException">Another process holds it.</exception>
    /// <exception cref="IOException">The folder cannot be written, naming it and why.</exception>
    public static RunFolderLock Acquire(string runFolder)
    {
        string folder = Path.GetFullPath(runFolder);
        bool created = !Directory.Exists(folder);
        string lockPath = Path.Combine(folder, LockFileName);
        FileStream handle;
        try
        {
            Directory.CreateDirectory(folder);
            handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            throw new RunFolderLockedException(folder, Holder(folder));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is UnauthorizedAccessException ? $"permission denied on {lockPath}" : e.Message;
            throw new IOException($"{runFolder}: cannot write the run folder's lock ({reason})", e);
        }

        try
        {
            int? previous = ReadPid(folder);
            AtomicFile.WriteAllText(Path.Combine(folder, PidFileName), $"{Environment.ProcessId}\n");
            return new RunFolderLock(folder, handle, created, previous is int pid && pid != Environment.ProcessId ? pid : null);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Lets go of the lock: deletes run.pid, and the folder too if the lock created it and nothing was written into it.</summary>
    public void Dispose()
    {
        if (_released) return;
        _released = true;
        TryDelete(Path.Combine(Folder, PidFileName));
        bool onlyTheLock = _createdFolder && Directory.EnumerateFileSystemEntries(Folder).All(f => Path.GetFileName(f) == LockFileName);
        if (onlyTheLock) TryDelete(Path.Combine(Folder, LockFileName));
        _handle.Dispose();
        if (onlyTheLock)
        {
            try
            {
                Directory.Delete(Folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Something arrived meanwhile: the folder is not ours to remove any more.
            }
        }
    }

    /// <summary>The process named in run.pid, waiting a moment for a holder that has the lock but has not written its id yet.</summary>
    private static int? Holder(string folder)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (ReadPid(folder) is int pid && pid != Environment.ProcessId && IsRunning(pid)) return pid;
            if (clock.Elapsed > WaitForPid) return ReadPid(folder);
            Thread.Sleep(50);
        }
    }

    private static int? ReadPid(string folder)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(folder, PidFileName)).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Locked by another process (EWOULDBLOCK from flock on Linux (11) and macOS (35); a sharing or lock violation on Windows).</summary>
    private static bool IsHeldElsewhere(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 32 or 33 : e.HResult is 11 or 35;

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover run.pid only makes the next writer say it takes over; it never stops one.
        }
    }
}

/// <summary>A run folder another process is training in.</summary>
public sealed class RunFolderLockedException(string folder, int? holder) : IOException(
    $"{folder} is in use: {(holder is int pid ? $"process {pid}" : "another process")} is training there (it holds {RunFolderLock.LockFileName}); " +
    "wait for it to finish or stop it")
{
    public string Folder { get; } = folder;
    public int? Holder { get; } = holder;
}
