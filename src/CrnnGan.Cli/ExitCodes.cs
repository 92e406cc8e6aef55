namespace CrnnGan.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Nothing could be done, e.g. no file could be read or an output could not be written.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: a parse error, an invalid option value or a missing input path.</summary>
    public const int BadUsage = 2;

    /// <summary>Stopped by Ctrl-C after saving its state (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
