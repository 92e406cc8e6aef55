namespace CrnnGan.Cli.Output;

public static class OutputPaths
{
    /// <summary>Fails early, before any long work, when the folder a file would be written to does not exist.</summary>
    public static void RequireFolderOf(string path, string optionName)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new UsageException($"{optionName} {path}: folder {folder} does not exist");
        if (Directory.Exists(path))
            throw new UsageException($"{optionName} {path}: is a folder, expected a file name");
    }
}
