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
        try
        {
            ParseResult parseResult = BuildRootCommand(context).Parse(args);
            if (parseResult.Errors.Count > 0)
            {
                foreach (string message in ParseErrors.Describe(parseResult))
                    context.WriteError(message);
                WriteHelpHint(context, parseResult);
                return ExitCodes.BadUsage;
            }

            var invocation = new InvocationConfiguration
            {
                Output = context.OutputWriter,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            };
            return parseResult.Invoke(invocation);
        }
        catch (Exception e) when (e is UsageException or ArgumentException)
        {
            context.WriteError(e.Message);
            return ExitCodes.BadUsage;
        }
        catch (Exception e)
        {
            context.WriteError(FirstLine(e.Message));
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// The first line of a message. Ours are one line; torch's carry its C++ stack after the first, e.g.
    /// "[enforce fail at alloc_cpu.cpp:127] ... can't allocate memory ..." and then "frame #0: ...".
    /// </summary>
    private static string FirstLine(string message)
    {
        string first = message.Split('\n', 2)[0].Trim();
        return first.Length > 0 ? first : message;
    }

    /// <summary>Every command and option, as the parser sees them (also for tests that go through all of them).</summary>
    public static RootCommand BuildRootCommand(CliContext context)
    {
        var root = new RootCommand("crnngan: C-RNN-GAN (Mogren 2016) on MIDI music.")
        {
            StatsCommand.Create(context),
            TrainCommand.Create(context),
            GenerateCommand.Create(context),
            EvaluateCommand.Create(context),
            ExportCommand.Create(context),
            DownloadCommand.Create(context),
            RenderCommand.Create(context),
            PlotCommand.Create(context),
            PianoRollCommand.Create(context),
            CompareCommand.Create(context),
        };
        if (context.HelpWidth is int width && root.Options.OfType<System.CommandLine.Help.HelpOption>().FirstOrDefault()?.Action
                is System.CommandLine.Help.HelpAction help)
            help.MaxWidth = width;
        return root;
    }

    private static void WriteHelpHint(CliContext context, ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        string name = command is RootCommand ? "" : $" {command.Name}";
        context.Error.WriteLine($"Run '{context.Command($"{name.TrimStart()} --help").Replace("  ", " ")}' for usage.");
    }
}
