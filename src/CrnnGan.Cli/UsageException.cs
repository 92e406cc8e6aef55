namespace CrnnGan.Cli;

/// <summary>A mistake in the command line found while running a command; <see cref="CliApp"/> turns it into exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
