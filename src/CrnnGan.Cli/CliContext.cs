using Spectre.Console;

namespace CrnnGan.Cli;

/// <summary>Where a command writes: rich output (tables, progress) on <see cref="Console"/>, help text on
/// <see cref="OutputWriter"/> (the same stream), and one-line errors on <see cref="Error"/>.</summary>
public sealed record CliContext(IAnsiConsole Console, TextWriter OutputWriter, TextWriter Error)
{
    /// <summary>Width of tables written to a file or pipe, where there is no terminal width to fit.</summary>
    public const int RedirectedWidth = 160;

    /// <summary>The process's stdout and stderr; progress bars only when stdout is an interactive terminal.</summary>
    public static CliContext ForProcess()
    {
        bool redirected = System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
            console.Profile.Width = RedirectedWidth;
        return new CliContext(console, System.Console.Out, System.Console.Error);
    }

    /// <summary>Plain text (no colours, no progress bars) into the given writers, e.g. for tests.</summary>
    public static CliContext ForWriters(TextWriter output, TextWriter error, int width = RedirectedWidth)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        return new CliContext(console, output, error);
    }

    /// <summary>Writes "crnngan: error: ..." as a single line, whatever line breaks the message holds.</summary>
    public void WriteError(string message) =>
        Error.WriteLine($"crnngan: error: {message.ReplaceLineEndings(" ").Trim()}");
}
