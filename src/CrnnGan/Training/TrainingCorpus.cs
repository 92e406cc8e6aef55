using CrnnGan.Data;

namespace CrnnGan.Training;

/// <summary>
/// A run's songs: the corpus at <see cref="DataSettings.Path"/> (its train and validation splits) or, without one, the
/// built-in synthetic corpus; encoded and scaled for training.
/// </summary>
public static class TrainingCorpus
{
    /// <param name="scaling">The run's scaling when it resumes; null: fitted to the training songs.</param>
    /// <param name="report">Receives one line per thing worth telling: what was read, what was skipped.</param>
    /// <param name="readCorpus">Reads the MIDI folder (a caller may show progress); null: <see cref="Corpus.Load"/>.</param>
    /// <exception cref="InvalidDataException">The folder holds no readable MIDI files.</exception>
    public static TrainingData Load(TrainingConfig config, FeatureScaling? scaling, Action<string> report,
        Func<string, CorpusOptions, Corpus>? readCorpus = null)
    {
        return config.Data.Path is null
            ? Synthetic(config, scaling, report)
            : FromFolder(config, config.Data.Path, scaling, report, readCorpus ?? ((path, options) => Corpus.Load(path, options)));
    }

    private static TrainingData Synthetic(TrainingConfig config, FeatureScaling? scaling, Action<string> report)
    {
        var songs = SyntheticCorpus.Generate(config.Data.SyntheticSongs, config.DataSplitSeed);
        int validationCount = Math.Max(1, (int)Math.Round(songs.Count * config.ValidationFraction));
        var data = TrainingData.FromSongs("built-in synthetic corpus", songs.Skip(validationCount).ToList(), songs.Take(validationCount).ToList(),
            config.TonesPerCell, config.Length, scaling);
        report($"data: {data.Description}: {data.Train.Count} training and {data.Validation.Count} validation songs " +
               $"({data.TooShort} shorter than {config.Length} events left out)");
        return data;
    }

    private static TrainingData FromFolder(TrainingConfig config, string path, FeatureScaling? scaling, Action<string> report,
        Func<string, CorpusOptions, Corpus> readCorpus)
    {
        var corpus = readCorpus(path, new CorpusOptions(config.DataSplitSeed, config.ValidationFraction, config.TestFraction));
        foreach (var skipped in corpus.Skipped.Take(10))
            report($"skipped {skipped.Path}: {skipped.Reason}");
        if (corpus.Skipped.Count > 10)
            report($"... and {corpus.Skipped.Count - 10} more unreadable files");
        if (corpus.SongCount == 0 && corpus.Skipped.Count == 0)
            throw new InvalidDataException($"{path}: no MIDI files (.mid, .midi, .kar, .rmi) found");
        if (corpus.SongCount == 0)
            throw new InvalidDataException($"{path}: no readable MIDI files ({corpus.Skipped.Count} unreadable)");

        var loaded = TrainingData.FromSongs(path, corpus.Train.Select(s => s.Song).ToList(), corpus.Validation.Select(s => s.Song).ToList(),
            config.TonesPerCell, config.Length, scaling, out var keptTrain, out var keptValidation);
        if (config.Data.Condition != ConditionLabel.None)
        {
            string Label(CorpusSong song) => config.Data.Condition == ConditionLabel.Genre ? song.Genre : song.Composer;
            loaded = loaded.WithLabels(config.Data.Condition, keptTrain.Select(i => Label(corpus.Train[i])).ToList(),
                keptValidation.Select(i => Label(corpus.Validation[i])).ToList(), config.Data.MinLabelSongs, report);
        }
        report($"data: {Count(corpus.SongCount, "song")} ({Count(corpus.Duplicates.Count, "duplicate")} dropped, {corpus.Skipped.Count} unreadable); " +
               $"split {corpus.Train.Count} train / {corpus.Validation.Count} validation / {corpus.Test.Count} test; " +
               $"{loaded.Train.Count} training songs have at least {config.Length} events ({loaded.TooShort} too short left out)");
        return loaded;
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
