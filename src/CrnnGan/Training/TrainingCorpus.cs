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
        RequireLabelsFile(config.Data);
        var corpus = readCorpus(path, new CorpusOptions(config.DataSplitSeed, config.ValidationFraction, config.TestFraction));
        foreach (var skipped in corpus.Skipped.Take(10))
            report($"skipped {skipped.Path}: {skipped.Reason}");
        if (corpus.Skipped.Count > 10)
            report($"... and {corpus.Skipped.Count - 10} more unreadable files");
        if (corpus.SongCount == 0 && corpus.Skipped.Count == 0)
            throw new InvalidDataException($"{path}: no MIDI files (.mid, .midi, .kar, .rmi) found");
        if (corpus.SongCount == 0)
            throw new InvalidDataException($"{path}: no readable MIDI files ({corpus.Skipped.Count} unreadable)");
        corpus = Labelled(corpus, config.Data, report);

        var loaded = TrainingData.FromSongs(path, corpus.Train.Select(s => s.Song).ToList(), corpus.Validation.Select(s => s.Song).ToList(),
            config.TonesPerCell, config.Length, scaling, out var keptTrain, out var keptValidation);
        if (config.Data.Condition != ConditionLabel.None)
        {
            var kind = config.Data.Condition;
            loaded = loaded.WithLabels(kind, keptTrain.Select(i => LabelOf(corpus.Train[i], kind)).ToList(),
                keptValidation.Select(i => LabelOf(corpus.Validation[i], kind)).ToList(), config.Data.MinLabelSongs, report);
        }
        report($"data: {Count(corpus.SongCount, "song")} ({Count(corpus.Duplicates.Count, "duplicate")} dropped, {corpus.Skipped.Count} unreadable); " +
               $"split {corpus.Train.Count} train / {corpus.Validation.Count} validation / {corpus.Test.Count} test; " +
               $"{loaded.Train.Count} training songs have at least {config.Length} events ({loaded.TooShort} too short left out)");
        return loaded;
    }

    /// <summary>A song's composer or genre, as <paramref name="kind"/> says.</summary>
    public static string LabelOf(CorpusSong song, ConditionLabel kind) => kind == ConditionLabel.Genre ? song.Genre : song.Composer;

    /// <summary>
    /// <paramref name="corpus"/> with its songs labelled as a run of <paramref name="data"/> labels them: by
    /// <see cref="DataSettings.LabelsCsv"/> when a conditioned run names one (the songs it does not list left out, its
    /// rows that name no song warned of, both said in <paramref name="report"/>), otherwise by the folders, as read.
    /// </summary>
    /// <exception cref="InvalidDataException">The CSV is malformed, or lists none of the songs.</exception>
    public static Corpus Labelled(Corpus corpus, DataSettings data, Action<string> report)
    {
        if (data.LabelsCsv is null || data.Condition == ConditionLabel.None) return corpus;
        RequireLabelsFile(data);
        string column = SettingKeys.EnumName(data.Condition.ToString());
        var csv = LabelsCsv.Read(data.LabelsCsv, corpus.Root, column);
        var labelled = corpus.LabelledBy(csv);
        if (labelled.NotFound.Count > 0)
            report($"warning: {Count(labelled.NotFound.Count, "row")} of {csv.Path} {(labelled.NotFound.Count == 1 ? "names" : "name")} no song read from {corpus.Root} " +
                   $"(missing, unreadable or outside it): {FirstFew(labelled.NotFound.Select(r => $"{r.RelativePath} (line {r.Line})").ToList())}");
        int listed = labelled.Corpus.SongCount;
        if (listed == 0)
            throw new InvalidDataException($"{csv.Path}: lists none of the {corpus.SongCount} songs in {corpus.Root} " +
                                           $"(its {LabelsCsv.FileColumn} column names each file relative to that folder, or in full)");
        report($"labels: each song's {column} from {csv.Path}: {listed} of the {corpus.SongCount} songs listed" + (labelled.Unlisted.Count == 0 ? ""
            : $"; the {Count(labelled.Unlisted.Count, "song")} it does not list left out (give them rows to train on them, with the label {LabelSet.Other} where none fits): {FirstFew(labelled.Unlisted)}"));
        return labelled.Corpus;
    }

    /// <summary>The real songs of one label: those <paramref name="labels"/> puts under <paramref name="label"/> (see <see cref="LabelSet.Assign"/>).</summary>
    public static IReadOnlyList<CorpusSong> OfLabel(IEnumerable<CorpusSong> songs, LabelSet labels, int label) =>
        songs.Where(s => labels.Assign(LabelOf(s, labels.Kind)) == label).ToList();

    /// <exception cref="SettingException">data.labels_csv names no file.</exception>
    public static void RequireLabelsFile(DataSettings data)
    {
        if (data.LabelsCsv is string csv && data.Condition != ConditionLabel.None && !File.Exists(csv))
            throw new SettingException("data.labels_csv", Directory.Exists(csv) ? $"{csv}: is a folder; give a CSV file of labels" : $"{csv}: no such file");
    }

    private static string FirstFew(IReadOnlyList<string> names) => string.Join(", ", names.Take(5)) + (names.Count > 5 ? ", ..." : "");

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
