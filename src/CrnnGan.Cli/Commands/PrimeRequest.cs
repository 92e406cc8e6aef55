namespace CrnnGan.Cli.Commands;

/// <summary>generate's --prime, --prime-events, --prime-fit and --continuation-only, checked together.</summary>
internal sealed record PrimeRequest(string Path, int? Events, bool ContinuationOnly, int Fit)
{
    public const int MaxFit = 1024;

    /// <summary>The request, or null without --prime (then the other two must not be given).</summary>
    public static PrimeRequest? From(string? path, int? events, bool continuationOnly, int? fit)
    {
        if (path is null)
        {
            if (events is not null) throw new UsageException("--prime-events needs --prime FILE.mid");
            if (fit is not null) throw new UsageException("--prime-fit needs --prime FILE.mid");
            if (continuationOnly) throw new UsageException("--continuation-only needs --prime FILE.mid");
            return null;
        }
        if (path.Length == 0) throw new UsageException("--prime needs a MIDI file, got an empty path");
        return new PrimeRequest(path, events, continuationOnly, fit ?? 1);
    }
}
