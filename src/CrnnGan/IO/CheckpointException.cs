namespace CrnnGan.IO;

/// <summary>A checkpoint or generator file that cannot be used, with the file and the reason.</summary>
public sealed class CheckpointException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;
    public string Reason { get; } = reason;
}
