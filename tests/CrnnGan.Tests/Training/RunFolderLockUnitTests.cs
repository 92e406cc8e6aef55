using CrnnGan.Tests.Cli;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

/// <summary>The run-folder lock within one process (across processes: <see cref="RunFolderLockTests"/>).</summary>
public sealed class RunFolderLockUnitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ASecondLockIsRefusedNamingTheHolder_UntilTheFirstIsLetGo()
    {
        string run = Path.Combine(_folder.Path, "run");
        using (var held = RunFolderLock.Acquire(run))
        {
            Assert.Null(held.TakenOverFrom);
            Assert.Equal($"{Environment.ProcessId}", File.ReadAllText(Path.Combine(run, RunFolderLock.PidFileName)).Trim());
            var refused = Assert.Throws<RunFolderLockedException>(() => RunFolderLock.Acquire(run));
            Assert.Equal(Environment.ProcessId, refused.Holder);
            Assert.Contains($"{held.Folder} is in use: process {Environment.ProcessId} is training there", refused.Message);
            File.WriteAllText(Path.Combine(run, "kept.txt"), "a file of the run");
        }
        Assert.False(File.Exists(Path.Combine(run, RunFolderLock.PidFileName)));
        Assert.True(File.Exists(Path.Combine(run, RunFolderLock.LockFileName)), "run.lock is never deleted from a folder with a run in it");
        using var again = RunFolderLock.Acquire(run);
        Assert.Null(again.TakenOverFrom);
    }

    [Fact]
    public void ARunPidLeftByAProcessThatIsGone_IsTakenOverSayingFromWhom()
    {
        string run = Directory.CreateDirectory(Path.Combine(_folder.Path, "run")).FullName;
        File.WriteAllText(Path.Combine(run, RunFolderLock.PidFileName), "2147483646\n");
        using var taken = RunFolderLock.Acquire(run);
        Assert.Equal(2147483646, taken.TakenOverFrom);
        Assert.Equal($"{Environment.ProcessId}", File.ReadAllText(Path.Combine(run, RunFolderLock.PidFileName)).Trim());
    }

    [Fact]
    public void AFolderTheLockCreatedAndNothingWasWrittenInto_IsRemovedWhenLetGo()
    {
        string run = Path.Combine(_folder.Path, "never-used");
        RunFolderLock.Acquire(run).Dispose();
        Assert.False(Directory.Exists(run));
    }
}
