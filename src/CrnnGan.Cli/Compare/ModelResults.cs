using CrnnGan.Evaluation;
using CrnnGan.Generation;

namespace CrnnGan.Cli.Compare;

/// <summary>A model file (generator or checkpoint) compared as a run is: the mean statistics of songs sampled from it.</summary>
public static class ModelResults
{
    /// <summary>The suffix of a file of real music's statistics kept beside a model (the bundled models have two).</summary>
    public const string ReferenceSuffix = ".reference.json";

    /// <summary><paramref name="count"/> songs of the model's training length from <paramref name="seed"/>, measured.</summary>
    public static RunResult Sample(string path, string name, int count, long seed)
    {
        using var model = TrainedModel.Load(path);
        int length = model.Config.Length;
        if ((long)count * length > Commands.GenerateCommand.MaxEvents)
            throw new UsageException($"--count {count} songs of {length} events each is {(long)count * length} events; at most {Commands.GenerateCommand.MaxEvents} can be generated at once");
        var measured = model.Generate(count, length, seed)
            .Select(song => SongStatistics.Compute(song.Notes))
            .OfType<SongStatistics>()
            .ToList();
        var means = StatisticsSummary.Summarize(measured).Statistics.ToDictionary(s => s.Name, s => s.Mean);
        return new RunResult(name, Path.GetFullPath(path), model.EpochsTrained, length, model.Config.TonesPerCell, means)
        {
            Detail = $"{count} songs, {model.EpochsTrained} epochs",
            Kind = "model",
            Reference = FindReference(path, model.Config.TonesPerCell, length),
        };
    }

    /// <summary>
    /// The statistics of the music a model was trained on, when they are kept beside it: a run's
    /// <see cref="ReferenceStatistics.FileName"/> (for a model in a run folder or its generators folder) or a
    /// <c>*.reference.json</c> file, of the model's tones per event and song length.
    /// </summary>
    public static ReferenceStatistics? FindReference(string modelPath, int tonesPerCell, int length)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(modelPath));
        var folders = new[] { folder, folder is null ? null : Path.GetDirectoryName(folder) }.OfType<string>();
        foreach (string candidate in folders)
        {
            var files = Directory.EnumerateFiles(candidate, "*" + ReferenceSuffix)
                .Order(StringComparer.Ordinal)
                .Prepend(Path.Combine(candidate, ReferenceStatistics.FileName));
            foreach (string file in files)
            {
                var reference = ReferenceStatistics.Load(file);
                if (reference is not null && reference.TonesPerCell == tonesPerCell && reference.EventsPerWindow == length)
                    return reference;
            }
        }
        return null;
    }
}
