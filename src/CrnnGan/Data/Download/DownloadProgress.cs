namespace CrnnGan.Data.Download;

public enum DownloadStage
{
    Downloading,
    /// <summary>The connection failed; <see cref="DownloadProgress.Message"/> says why and when the download resumes.</summary>
    Retrying,
    Verifying,
    Unpacking,
}

/// <summary>
/// Where a download is. While downloading, <see cref="Done"/> and <see cref="Total"/> count archive bytes
/// (<see cref="Total"/> is null when the server does not say); while unpacking, they count files.
/// </summary>
public sealed record DownloadProgress(DownloadStage Stage, long Done, long? Total, string? Message = null);

/// <param name="ChecksumVerified">True when the archive's SHA-256 was compared with a known value (and matched).</param>
public sealed record DownloadResult(string Folder, int FileCount, long ArchiveBytes, string Sha256, bool ChecksumVerified);

/// <summary>A download that could not be completed; the message says why in one sentence.</summary>
public sealed class DownloadException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The connection kept failing; what arrived is kept, and running the same download again resumes it.</summary>
    public bool Resumable { get; init; }
}

public sealed record DownloadOptions
{
    /// <summary>Replace a target folder that already holds files.</summary>
    public bool Force { get; init; }

    /// <summary>Attempts in a row that may fail without receiving a byte before the download gives up.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Wait before the first retry; it doubles with each failure in a row.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A connection that delivers nothing for this long counts as dropped.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
