using System.CommandLine;
using CrnnGan.Cli.Commands;

namespace CrnnGan.Cli;

/// <summary>
/// The crnngan command line. Each command lives in its own class under Commands/ with a static
/// <c>Create(CliContext)</c>; add it to <see cref="BuildRootCommand"/>.
/// Exit codes: see <see cref="ExitCodes"/>. Errors are one line on stderr, never a stack trace.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args) => Run(args, CliContext.ForProcess());

    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Run(args, CliContext.ForWriters(output, error));

    public static int Run(string[] args, CliContext context)
    {
        RootCommand root = BuildRootCommand(context);
        ParseResult parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
                context.WriteError(error.Message);
            context.Error.WriteLine($"Run '{HelpCommandLine(parseResult)}' for usage.");
            return ExitCodes.BadUsage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.OutputWriter,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return parseResult.Invoke(invocation);
        }
        catch (Exception e) when (e is UsageException or ArgumentException)
        {
            context.WriteError(e.Message);
            return ExitCodes.BadUsage;
        }
        catch (Exception e)
        {
            context.WriteError(e.Message);
            return ExitCodes.Failure;
        }
    }

    private static RootCommand BuildRootCommand(CliContext context) =>
        new("crnngan: C-RNN-GAN (Mogren 2016) on MIDI music.")
        {
            StatsCommand.Create(context),
        };

    private static string HelpCommandLine(ParseResult parseResult)
    {
        string command = parseResult.CommandResult.Command is RootCommand ? "" : $" {parseResult.CommandResult.Command.Name}";
        return $"crnngan{command} --help";
    }
}
