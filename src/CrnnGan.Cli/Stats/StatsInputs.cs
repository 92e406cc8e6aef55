using CrnnGan.Data;

namespace CrnnGan.Cli.Stats;

/// <summary>
/// A MIDI file to read. <see cref="Name"/> is relative to the folder it was found in (or the bare file name for a file);
/// <see cref="Path"/> is that name joined to the folder as the user typed it.
/// </summary>
public sealed record InputFile(string FullPath, string Name, string Path);

/// <summary>The MIDI files named by the command's paths, each file once, in the order the paths were given.</summary>
public sealed record StatsInputs(IReadOnlyList<InputFile> Files, bool IncludesFolder)
{
    /// <exception cref="UsageException">A path is neither a file nor a folder.</exception>
    public static StatsInputs Resolve(IReadOnlyList<string> paths)
    {
        var files = new List<InputFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool includesFolder = false;
        foreach (string path in paths)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new UsageException("a PATH is an empty string");
            IReadOnlyList<string> found;
            try
            {
                found = MidiFileFinder.Find(path);
            }
            catch (FileNotFoundException e)
            {
                throw new UsageException(e.Message);
            }

            var unseen = found.Where(seen.Add);
            if (Directory.Exists(path))
            {
                includesFolder = true;
                string folder = Path.GetFullPath(path);
                files.AddRange(unseen.Select(fullPath => FromFolder(path, folder, fullPath)));
            }
            else
            {
                files.AddRange(unseen.Select(fullPath => new InputFile(fullPath, Path.GetFileName(fullPath), path)));
            }
        }
        return new StatsInputs(files, includesFolder);
    }

    private static InputFile FromFolder(string folderAsGiven, string folder, string fullPath)
    {
        string relative = Path.GetRelativePath(folder, fullPath);
        return new InputFile(fullPath, relative, Path.Join(folderAsGiven, relative));
    }
}
