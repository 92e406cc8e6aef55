using System.Diagnostics;
using CrnnGan.IO;
using CrnnGan.Tests.Cli;

namespace CrnnGan.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    /// <summary>Above any Linux pid_max (4194304): no process has it.</summary>
    private const int DeadProcessId = 2_000_000_000;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Write_ReplacesTheFileAndLeavesNoTemporaryFile()
    {
        string path = _folder.File("a.txt");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");

        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["a.txt"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void FirstWriteIntoAFolder_DeletesTemporaryFilesThatNoWriterWillFinish()
    {
        string Temporary(string target, int pid) => _folder.File($".{target}.{pid}.{Guid.NewGuid():N}.tmp");
        string ofDeadProcess = Temporary("checkpoint.bin", DeadProcessId);
        string ofThisProcess = Temporary("stats.csv", Environment.ProcessId); // not being written: a leftover of a reused pid
        string ofLiveProcess = Temporary("checkpoint.bin", LiveOtherProcessId());
        string oldOfLiveProcess = Temporary("config.json", LiveOtherProcessId());
        string notOurs = _folder.File(".notes.tmp");
        string alsoNotOurs = _folder.File("other.1.tmp");
        foreach (string file in new[] { ofDeadProcess, ofThisProcess, ofLiveProcess, oldOfLiveProcess, notOurs, alsoNotOurs })
            File.WriteAllText(file, "half a file");
        File.SetLastWriteTimeUtc(oldOfLiveProcess, DateTime.UtcNow.AddDays(-2));

        AtomicFile.WriteAllText(_folder.File("checkpoint.bin"), "whole");

        Assert.Equal(
            [Path.GetFileName(ofLiveProcess), ".notes.tmp", "checkpoint.bin", "other.1.tmp"],
            Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DeleteStaleTemporaries_InAMissingFolder_DeletesNothingAndDoesNotThrow() =>
        Assert.Equal(0, AtomicFile.DeleteStaleTemporaries(Path.Combine(_folder.Path, "missing")));

    /// <summary>
    /// Renaming a file over /dev/null or /dev/stdout would replace the device (as root) or fail; they are written in
    /// place. Through a link in the test folder, so that a regression replaces only the link, never the device.
    /// </summary>
    [Fact]
    public void SpecialFiles_AreWrittenInPlace_AndAFullDeviceFailsNamingThePath()
    {
        if (!OperatingSystem.IsLinux())
            return; // /dev/null and /dev/full are Linux devices
        string toNull = _folder.File("to-null");
        string toFull = _folder.File("to-full");
        File.CreateSymbolicLink(toNull, "/dev/null");
        File.CreateSymbolicLink(toFull, "/dev/full");

        AtomicFile.WriteAllText(toNull, "discarded");
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllBytes(toFull, new byte[100_000]));

        Assert.StartsWith($"{toFull}: cannot write: ", e.Message);
        Assert.Equal("/dev/null", new FileInfo(toNull).LinkTarget);
        Assert.Equal("/dev/full", new FileInfo(toFull).LinkTarget);
        Assert.Equal(["to-full", "to-null"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WriteUnderARegularFile_FailsNamingThePath()
    {
        string file = _folder.File("file.txt");
        File.WriteAllText(file, "a file, not a folder");
        string path = Path.Combine(file, "sub", "x.txt");

        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.StartsWith($"{path}: cannot write: ", e.Message);
    }

    /// <summary>A process that runs throughout the test and is not this one: init, or failing that, any other.</summary>
    private static int LiveOtherProcessId()
    {
        try
        {
            using var init = Process.GetProcessById(1);
            return 1;
        }
        catch (ArgumentException)
        {
            using var self = Process.GetCurrentProcess();
            return Process.GetProcesses().First(p => p.Id != self.Id && !p.HasExited).Id;
        }
    }
}
