using System.IO.Compression;

namespace CrnnGan.Data.Download;

/// <summary>Unpacks the files below one folder of a zip archive, refusing entries that would land outside the destination.</summary>
internal static class ZipSubfolderExtractor
{
    /// <summary>Extracts the files under <paramref name="subfolder"/> ('/'-separated; null for the whole archive) into
    /// <paramref name="destination"/>, without the subfolder's own path, and returns how many there were.</summary>
    /// <exception cref="InvalidDataException">The archive is damaged, or an entry's path leaves the destination.</exception>
    public static int Extract(string archivePath, string? subfolder, string destination,
        IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        string prefix = string.IsNullOrEmpty(subfolder) ? "" : subfolder.Trim('/') + "/";
        string root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(root);

        using var archive = ZipFile.OpenRead(archivePath);
        var files = archive.Entries
            .Select(entry => (Entry: entry, Relative: RelativePath(entry, prefix)))
            .Where(file => file.Relative is not null)
            .ToList();

        for (int i = 0; i < files.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var (entry, relative) = files[i];
            string path = Path.GetFullPath(Path.Combine(root, relative!));
            if (!path.StartsWith(root, StringComparison.Ordinal))
                throw new InvalidDataException($"archive entry '{entry.FullName}' points outside the folder it is unpacked into");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            entry.ExtractToFile(path, overwrite: false);
            progress?.Report(new DownloadProgress(DownloadStage.Unpacking, i + 1, files.Count));
        }
        return files.Count;
    }

    /// <summary>The entry's path below the prefix, or null for folders and entries outside it.</summary>
    private static string? RelativePath(ZipArchiveEntry entry, string prefix)
    {
        string name = entry.FullName.Replace('\\', '/');
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.EndsWith('/'))
            return null;
        string relative = name[prefix.Length..];
        return relative.Length == 0 ? null : relative;
    }
}
