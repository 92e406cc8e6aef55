namespace CrnnGan.Cli.Output;

public static class Counted
{
    /// <summary>"1 file", "3 files": the count with the noun in singular or plural (plural adds "s").</summary>
    public static string Of(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
