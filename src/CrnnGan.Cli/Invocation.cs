namespace CrnnGan.Cli;

/// <summary>
/// How the user started crnngan, spelled so that a hint ("continue with: ... train --resume") can be pasted back:
/// <c>crnngan</c> as an installed dotnet tool or any path to its executable as typed, <c>dotnet path/CrnnGan.Cli.dll</c>,
/// or <c>dotnet run --project ... --</c>.
/// </summary>
public static class Invocation
{
    public const string ToolName = "crnngan";

    /// <summary>The command that starts this process, without its arguments; <see cref="ToolName"/> when it cannot be told.</summary>
    public static string Detect()
    {
        try
        {
            return FromCommandLines(ReadCommandLine("/proc/self/cmdline"), ParentCommandLine(), Environment.GetCommandLineArgs().Length - 1)
                   ?? FromDotnetArgs();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            return FromDotnetArgs();
        }
    }

    /// <summary>
    /// The prefix from this process's command line (<paramref name="own"/>, as the kernel keeps it) and its parent's:
    /// under <c>dotnet run</c> the parent is the dotnet process that was given the run command.
    /// </summary>
    /// <param name="argumentCount">How many of <paramref name="own"/>'s words at its end are crnngan's own arguments.</param>
    public static string? FromCommandLines(IReadOnlyList<string>? own, IReadOnlyList<string>? parent, int argumentCount)
    {
        if (own is null || own.Count == 0)
            return null;
        if (IsDotnet(own[0]))
        {
            var start = own.Take(Math.Max(1, own.Count - argumentCount)).ToList();
            int dll = start.FindIndex(word => word.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
            return Join(start.Take(dll < 0 ? start.Count : dll + 1).Select((word, i) => i == 0 ? "dotnet" : word)); // or e.g. "dotnet crnngan", a local tool
        }
        if (parent is { Count: >= 2 } && IsDotnet(parent[0]) && parent[1] == "run")
        {
            int separator = parent.ToList().IndexOf("--");
            var before = separator >= 0 ? parent.Take(separator) : parent.Take(Math.Max(2, parent.Count - argumentCount));
            return Join(before.Select((word, i) => i == 0 ? "dotnet" : word).Append("--"));
        }
        return Quote(own[0]);
    }

    private static string FromDotnetArgs()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && IsDotnet(process))
        {
            string dll = Environment.GetCommandLineArgs()[0];
            string relative = Path.GetRelativePath(Environment.CurrentDirectory, dll);
            return $"dotnet {Quote(relative.StartsWith("..", StringComparison.Ordinal) ? dll : relative)}";
        }
        return ToolName;
    }

    private static bool IsDotnet(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);

    private static IReadOnlyList<string>? ReadCommandLine(string path) =>
        File.Exists(path) ? File.ReadAllText(path).TrimEnd('\0').Split('\0') : null;

    private static IReadOnlyList<string>? ParentCommandLine()
    {
        if (!File.Exists("/proc/self/stat"))
            return null;
        string stat = File.ReadAllText("/proc/self/stat");
        string parentId = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]; // after "pid (name) state"
        return ReadCommandLine($"/proc/{int.Parse(parentId)}/cmdline");
    }

    private static string Join(IEnumerable<string> words) => string.Join(" ", words.Select(Quote));

    private static string Quote(string word) => word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:+@%,".Contains(c))
        ? word
        : $"'{word.Replace("'", "'\\''")}'";
}
