namespace CrnnGan.Data;

/// <summary>Finds the MIDI files named by a path: the file itself, or every MIDI file below a folder.</summary>
public static class MidiFileFinder
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".mid", ".midi", ".kar", ".rmi" };

    public static bool IsMidiFileName(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>Files in a stable (ordinal) order. A missing path raises <see cref="FileNotFoundException"/> naming it.</summary>
    public static IReadOnlyList<string> Find(string path)
    {
        if (File.Exists(path)) return [Path.GetFullPath(path)];
        if (!Directory.Exists(path))
            throw new FileNotFoundException($"{path}: no such file or folder", path);

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
        return Directory.EnumerateFiles(path, "*", options)
            .Where(IsMidiFileName)
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
