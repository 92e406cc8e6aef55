namespace CrnnGan.Cli.Output;

/// <summary>Checks of the paths a command will write to, made before any long work.</summary>
public static class OutputPaths
{
    /// <summary>Fails early when the folder a file would be written to does not exist, or the path is a folder.</summary>
    public static void RequireFolderOf(string path, string optionName)
    {
        RequireNotEmpty(path, optionName, "a file name");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new UsageException($"{optionName} {path}: folder {folder} does not exist");
        if (Directory.Exists(path))
            throw new UsageException($"{optionName} {path}: is a folder, expected a file name");
    }

    /// <summary>
    /// Fails early when <paramref name="path"/> cannot become a folder: a usage error (exit 2) when it or one of its
    /// parents is a file, a failure (exit 1) when the nearest existing folder refuses new entries (e.g. read-only).
    /// Creates nothing.
    /// </summary>
    public static void RequireCreatableFolder(string path, string optionName)
    {
        RequireNotEmpty(path, optionName, "a folder");
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
            throw new UsageException($"{optionName} {path}: is a file, expected a folder");
        string? existing = full;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing))
                throw new UsageException($"{optionName} {path}: {existing} is a file, not a folder");
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is not null)
            RequireWritable(existing, path, optionName);
    }

    /// <summary>An empty string is no path; .NET's own message for it ("The value cannot be an empty string") names no option.</summary>
    public static void RequireNotEmpty(string? path, string optionName, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new UsageException($"{optionName} needs {what}, got an empty string");
    }

    /// <summary>Creates and removes a probe folder, the only sure test (permissions, read-only mounts, root) of whether writing will work.</summary>
    private static void RequireWritable(string folder, string path, string optionName)
    {
        string probe = Path.Combine(folder, $".crnngan-write-test-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is UnauthorizedAccessException ? "permission denied" : "it takes no new files";
            throw new IOException($"{optionName} {path}: cannot write in {folder} ({reason})", e);
        }
    }
}
