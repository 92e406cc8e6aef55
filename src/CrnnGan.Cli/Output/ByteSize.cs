using System.Globalization;

namespace CrnnGan.Cli.Output;

public static class ByteSize
{
    /// <summary>"950 B", "12.3 kB", "58.0 MB", "1.20 GB" (decimal units, as download sizes are usually given).</summary>
    public static string Format(long bytes) => bytes switch
    {
        < 1_000 => $"{bytes} B",
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB"),
    };
}
