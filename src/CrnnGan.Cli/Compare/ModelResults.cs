using CrnnGan.Evaluation;
using CrnnGan.Generation;
using CrnnGan.Training;

namespace CrnnGan.Cli.Compare;

/// <summary>A model file (generator or checkpoint) compared as a run is: the mean statistics of songs sampled from it.</summary>
public static class ModelResults
{
    /// <summary>The suffix of a file of real music's statistics kept beside a model: <c>MODEL.reference.json</c>.</summary>
    public const string ReferenceSuffix = ".reference.json";

    /// <summary><paramref name="count"/> songs of the model's training length from <paramref name="seed"/>, measured.</summary>
    /// <param name="referencePath">The statistics of its training music; null: looked for beside it (<see cref="FindReference"/>).</param>
    public static RunResult Sample(string path, string name, int count, long seed, string? referencePath = null)
    {
        using var model = TrainedModel.Load(path);
        int length = model.Config.Length;
        Commands.GenerateCommand.RequireAtMostMaxEvents(count, length);
        var measured = model.Generate(count, length, seed)
            .Select(song => SongStatistics.Compute(song.Notes))
            .OfType<SongStatistics>()
            .ToList();
        var means = StatisticsSummary.Summarize(measured).Statistics.ToDictionary(s => s.Name, s => s.Mean);
        return new RunResult(name, Path.GetFullPath(path), model.EpochsTrained, length, model.Config.TonesPerCell, means)
        {
            Detail = $"{count} songs, {model.EpochsTrained} epochs",
            Kind = "model",
            Reference = referencePath is null ? FindReference(path, model.Config.TonesPerCell, length) : ReferenceStatistics.Load(referencePath),
        };
    }

    /// <summary>
    /// The statistics of the music a model was trained on, when they are kept beside it: <c>MODEL.reference.json</c>,
    /// or for a model in a run folder or its generators folder the run's <see cref="ReferenceStatistics.FileName"/>;
    /// only of the model's tones per event and song length.
    /// </summary>
    public static ReferenceStatistics? FindReference(string modelPath, int tonesPerCell, int length)
    {
        string full = Path.GetFullPath(modelPath);
        string folder = Path.GetDirectoryName(full)!;
        var candidates = new List<string> { Path.ChangeExtension(full, null) + ReferenceSuffix, Path.Combine(folder, ReferenceStatistics.FileName) };
        if (Path.GetFileName(folder) == RunFolderLayout.GeneratorsFolderName && Path.GetDirectoryName(folder) is string run)
            candidates.Add(Path.Combine(run, ReferenceStatistics.FileName));
        return candidates.Select(ReferenceStatistics.Load)
            .FirstOrDefault(r => r is not null && r.TonesPerCell == tonesPerCell && r.EventsPerWindow == length);
    }
}
