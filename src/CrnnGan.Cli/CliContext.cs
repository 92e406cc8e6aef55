using Spectre.Console;

namespace CrnnGan.Cli;

/// <summary>Where a command writes: rich output (tables, progress) on <see cref="Console"/>, help text on
/// <see cref="OutputWriter"/> (the same stream), and one-line errors on <see cref="Error"/>.</summary>
public sealed record CliContext(IAnsiConsole Console, TextWriter OutputWriter, TextWriter Error)
{
    /// <summary>
    /// Width of the console when writing to a file or pipe: wide enough never to wrap a line (a path or sentence broken
    /// in two cannot be pasted or searched); tables take the width of their content.
    /// </summary>
    public const int RedirectedWidth = 100_000;

    /// <summary>Width of help text written to a file or pipe, whose two columns need some width to wrap at.</summary>
    public const int RedirectedHelpWidth = 120;

    /// <summary>How the user started the program, for hints to paste back, e.g. "dotnet path/CrnnGan.Cli.dll".</summary>
    public string Program { get; init; } = Invocation.ToolName;

    /// <summary>Where help text wraps; null: System.CommandLine's own choice, the terminal's width.</summary>
    public int? HelpWidth { get; init; } = RedirectedHelpWidth;

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
        return new CliContext(console, System.Console.Out, System.Console.Error)
        {
            Program = Invocation.Detect(),
            HelpWidth = redirected ? RedirectedHelpWidth : null,
        };
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

    /// <summary>A command line to paste back, e.g. Command("generate --model runs/x") as "crnngan generate --model runs/x".</summary>
    public string Command(string arguments) => $"{Program} {arguments}";

    /// <summary>Writes "crnngan: error: ..." as a single line, whatever line breaks the message holds.</summary>
    public void WriteError(string message) =>
        Error.WriteLine($"crnngan: error: {message.ReplaceLineEndings(" ").Trim()}");
}
