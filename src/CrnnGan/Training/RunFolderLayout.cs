namespace CrnnGan.Training;

/// <summary>
/// Where a training run keeps its files: config.json (its settings), checkpoint.bin, stats.csv, samples/epoch-NNN.mid,
/// best-generator.bin and, when every epoch's G is kept, generators/epoch-NNN.bin; while a run trains, run.lock and
/// run.pid (see <see cref="RunFolderLock"/>).
/// </summary>
public sealed class RunFolderLayout(string folder)
{
    public const string StatsFileName = "stats.csv";
    public const string ConfigFileName = "config.json";
    public const string SamplesFolderName = "samples";
    /// <summary>G of the epoch whose songs measured closest to the validation songs (by <see cref="RunSettings.KeepBy"/>).</summary>
    public const string BestGeneratorFileName = "best-generator.bin";
    public const string GeneratorsFolderName = "generators";

    public string Folder { get; } = Path.GetFullPath(folder);
    public string Config => Path.Combine(Folder, ConfigFileName);
    public string Checkpoint => Path.Combine(Folder, TrainingCheckpoint.FileName);
    public string Stats => Path.Combine(Folder, StatsFileName);
    public string BestGenerator => Path.Combine(Folder, BestGeneratorFileName);

    /// <summary>The MIDI file of the song sampled after <paramref name="epoch"/> (1-based).</summary>
    public string Sample(int epoch) => Path.Combine(Folder, SamplesFolderName, $"epoch-{epoch:D3}.mid");

    /// <summary>Where G of <paramref name="epoch"/> (1-based) is kept with <see cref="RunSettings.KeepEveryGenerator"/>.</summary>
    public string EpochGenerator(int epoch) => EpochGeneratorPath(Folder, epoch);

    /// <summary>Where G of <paramref name="epoch"/> of the run in <paramref name="runFolder"/> is kept with <see cref="RunSettings.KeepEveryGenerator"/>.</summary>
    public static string EpochGeneratorPath(string runFolder, int epoch) => Path.Combine(runFolder, GeneratorsFolderName, $"epoch-{epoch:D3}.bin");

    /// <summary>
    /// Checks, before any training, that the run can write its files: creates and deletes a probe file in the folder
    /// and in those of its subfolders that exist (the only sure test: permissions, read-only mounts, root).
    /// </summary>
    /// <exception cref="RunFolderException">A folder cannot be written, naming it and why.</exception>
    public void RequireWritable()
    {
        string[] folders = [Folder, Path.Combine(Folder, SamplesFolderName), Path.Combine(Folder, GeneratorsFolderName)];
        foreach (string folder in folders.Where(Directory.Exists))
        {
            // Named like AtomicFile's temporaries, so that one left by a killed process is cleared with them.
            string probe = Path.Combine(folder, $".write-test.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            try
            {
                using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                string reason = e is UnauthorizedAccessException ? "permission denied" : e.Message;
                throw new RunFolderException(folder, $"cannot write there ({reason}); the run keeps its checkpoint, statistics and samples there");
            }
        }
    }
}
