using CrnnGan.Data;
using CrnnGan.Midi;
using CrnnGan.Training;

namespace CrnnGan.Cli.Commands;

/// <summary>One label of a conditioned model, as evaluate --composer / --genre asks for it.</summary>
internal sealed record ChosenLabel(LabelSet Labels, int Index, string Option)
{
    public string Name => Labels.Names[Index];
    public string Describe => $"{Labels.KindName} {Name}";
}

/// <summary>
/// evaluate's real side: every song in --real, or the run's own test (or validation) split when --real is the folder
/// it trained on; with a label, only the songs of that label, labelled as training labelled them.
/// </summary>
internal static class EvaluateRealSongs
{
    /// <summary>Real songs of a label needed at the least to measure generated songs of it against.</summary>
    public const int MinSongsOfLabel = 5;

    public static IReadOnlyList<MidiSong> Read(string folder, bool validation, TrainingConfig? runConfig, ChosenLabel? label, Action<string> report,
        out string source)
    {
        string full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        if (runConfig?.DataPath is string trained && Path.GetFullPath(trained).TrimEnd(Path.DirectorySeparatorChar) == full)
        {
            // A run labelled by a CSV trained on the songs it lists alone: so are its test and validation splits.
            if (runConfig.Data.Condition != ConditionLabel.None && runConfig.Data.LabelsCsv is string labels && !File.Exists(labels))
                throw new InvalidDataException($"the run trained on the songs its labels CSV {labels} lists, and that file is gone: " +
                                               "put it back to measure against the run's own splits, or give --real another folder");
            var corpus = TrainingCorpus.Labelled(
                Corpus.Load(folder, new CorpusOptions(runConfig.DataSplitSeed, runConfig.ValidationFraction, runConfig.TestFraction)), runConfig.Data, report);
            string split = $"the {(validation ? "validation" : "test")} split of {folder}";
            var all = validation ? corpus.Validation : corpus.Test;
            string? csv = runConfig.Data.Condition == ConditionLabel.None ? null : runConfig.Data.LabelsCsv;
            if (label is null)
            {
                source = $"{split} ({all.Count} songs, never trained on{(csv is null ? "" : $"; those {csv} lists")})";
                return all.Select(s => s.Song).ToList();
            }
            string labelsFrom = csv ?? $"the folders of {folder}";
            var songs = OfLabel(all, label, split, labelsFrom);
            source = $"{split}, {label.Describe} only ({songs.Count} of its {all.Count} songs, never trained on; labels from {labelsFrom})";
            return songs;
        }
        if (label is not null)
        {
            // Not the run's folder: its songs are labelled by its own folders (the run's CSV names the files of another).
            var all = Corpus.Load(folder, new CorpusOptions(ValidationFraction: 0, TestFraction: 0)).Train;
            string labelsFrom = $"the folders of {folder} (genre/composer/*.mid)";
            var songs = OfLabel(all, label, folder, labelsFrom);
            source = $"{songs.Count} of the {all.Count} MIDI files in {folder}: {label.Describe} only (labels from {labelsFrom})";
            return songs;
        }
        var loaded = SongLoader.LoadAll(MidiFileFinder.Find(folder));
        var readable = loaded.Where(f => f.Succeeded).Select(f => f.Song!).ToList();
        if (readable.Count == 0) throw new InvalidDataException($"--real {folder}: no readable MIDI files");
        source = $"{readable.Count} MIDI files in {folder}";
        return readable;
    }

    private static List<MidiSong> OfLabel(IReadOnlyList<CorpusSong> songs, ChosenLabel label, string where, string labelsFrom)
    {
        var of = TrainingCorpus.OfLabel(songs, label.Labels, label.Index);
        if (of.Count < MinSongsOfLabel)
            throw new InvalidDataException($"{label.Option} {label.Name}: {where} holds {(of.Count == 1 ? "1 real song" : $"{of.Count} real songs")} of {label.Describe} " +
                                           $"(of {songs.Count}; labels from {labelsFrom}); at least {MinSongsOfLabel} are needed to measure its generated songs against");
        return of.Select(s => s.Song).ToList();
    }
}
