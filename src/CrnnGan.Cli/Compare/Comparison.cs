using CrnnGan.Evaluation;
using CrnnGan.Reports;

namespace CrnnGan.Cli.Compare;

/// <summary>
/// One column of the comparison: a run's last finished epoch (the mean statistics of the songs G sampled then), or a
/// model file's songs sampled by compare itself. <see cref="Reference"/> is the real music it came with, if any.
/// </summary>
public sealed record RunResult(string Name, string Folder, int Epoch, int EventsPerSong, int TonesPerCell, IReadOnlyDictionary<string, double> Means)
{
    /// <summary>The table's second header line, e.g. "epoch 20" or "200 songs, epoch 36".</summary>
    public string Detail { get; init; } = $"epoch {Epoch}";

    /// <summary>"run" for a run folder, "model" for songs sampled from a model file.</summary>
    public string Kind { get; init; } = "run";

    public ReferenceStatistics? Reference { get; init; }

    /// <exception cref="UsageException">The run has no finished epoch.</exception>
    public static RunResult Of(TrainingRun run)
    {
        var last = run.LastEpoch ?? throw new UsageException($"{run.Folder}: no finished epoch in its stats.csv yet");
        return new RunResult(run.Name, run.Folder, last.Epoch, run.Config?.Length ?? last.Length, run.Config?.TonesPerCell ?? 1, last.Statistics)
        {
            Reference = run.Reference,
        };
    }
}

/// <summary>Real music to compare with: a name for the table and chart, and its statistics.</summary>
public sealed record RealMusic(string Name, ReferenceStatistics Statistics);

/// <summary>What <c>crnngan compare</c> shows and writes.</summary>
public sealed record Comparison(IReadOnlyList<RunResult> Runs, IReadOnlyList<RealMusic> Real)
{
    public IReadOnlyList<ComparedSeries> Series =>
    [
        .. Runs.Select(r => new ComparedSeries(r.Name, r.Means, IsRealMusic: false)),
        .. Real.Select(r => new ComparedSeries(r.Name, r.Statistics.Means, IsRealMusic: true)),
    ];
}
