using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

/// <summary>data.labels_csv: each file's composer or genre from a CSV instead of the folders.</summary>
[Collection(TorchCollection.Name)]
public class LabelsCsvTests
{
    /// <summary>A folder of songs in two boxes whose names say nothing of the labels: box1/a0.mid ... box2/b0.mid ..., each song its own notes.</summary>
    internal static string Boxes(int perBox)
    {
        string root = TinyRuns.NewFolder();
        foreach (var (box, prefix, seed) in new[] { ("box1", 'a', 1000), ("box2", 'b', 2000) })
        {
            Directory.CreateDirectory(Path.Combine(root, box));
            for (int i = 0; i < perBox; i++)
                WriteSong(Path.Combine(root, box, $"{prefix}{i}.mid"), seed + i);
        }
        return root;
    }

    internal static void WriteSong(string path, int seed)
    {
        var random = new Random(seed);
        long tick = 0;
        MidiFileWriter.Write(path, Enumerable.Range(0, 30).Select(_ => new Note(tick += 192, 192, 48 + random.Next(0, 24), 90)).ToArray());
    }

    /// <summary>A labels CSV of <paramref name="text"/>, in a folder of its own (outside the corpus).</summary>
    internal static string Csv(string text)
    {
        string path = Path.Combine(Directory.CreateDirectory(TinyRuns.NewFolder()).FullName, "labels.csv");
        File.WriteAllText(path, text);
        return path;
    }

    internal static TrainingConfig Labelled(string corpus, string csv, string kind = "composer") =>
        TinyRuns.Config(epochs: 2, pretrainEpochs: 1).With($"data.path=\"{corpus}\"", $"data.condition=\"{kind}\"", $"data.labels_csv=\"{csv}\"",
            "data.min_label_songs=2", "data.validation_fraction=0.2", "data.test_fraction=0", "run.validation_songs=6");

    /// <summary>Each training song of <paramref name="labels"/>, as the split of <paramref name="config"/> puts them, counted by label.</summary>
    private static int[] TrainingSongsOf(TrainingConfig config, IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> names)
    {
        var corpus = Corpus.Load(config.DataPath!, new CorpusOptions(config.DataSplitSeed, config.ValidationFraction, config.TestFraction));
        var byLabel = corpus.Train.Select(s => s.RelativePath.Replace('\\', '/')).Where(labels.ContainsKey).GroupBy(f => labels[f]).ToDictionary(g => g.Key, g => g.Count());
        return names.Select(n => byLabel.GetValueOrDefault(n)).ToArray();
    }

    [Fact]
    public void TheCsvLabelsTheSongsInsteadOfTheFolders()
    {
        string root = Boxes(perBox: 10);
        // bach: a0-a4 and b0-b4; chopin: the rest; written every way the format allows.
        var composer = new Dictionary<string, string>();
        var genre = new Dictionary<string, string>();
        var lines = new List<string> { "Genre, FILE ,composer,title" };
        for (int i = 0; i < 10; i++)
            foreach (char box in "ab")
            {
                string file = $"box{(box == 'a' ? 1 : 2)}/{box}{i}.mid";
                composer[file] = i < 5 ? "bach" : "chopin";
                genre[file] = box == 'a' ? "baroque" : "romantic";
                string written = (box, i) switch
                {
                    ('a', 0) => Path.Combine(root, file), // absolute
                    ('b', 1) => file.Replace('/', '\\'),
                    ('a', 2) => $"\"{file}\"",
                    _ => file,
                };
                lines.Add($"{genre[file]},{written},{composer[file]},\"Opus {i}, \"\"{box}\"\"\"");
                if (i == 3) lines.Add("");
            }
        lines.Add("baroque,./box1/a1.mid,bach,the same row again");
        WriteSong(Path.Combine(root, "box1", "Op. 1, No. 2.mid"), seed: 99);
        lines.Add("baroque,\"box1/Op. 1, No. 2.mid\",bach,");
        composer["box1/Op. 1, No. 2.mid"] = "bach";
        genre["box1/Op. 1, No. 2.mid"] = "baroque";
        string csv = Csv(string.Join("\n", lines) + "\n");

        var said = new List<string>();
        var config = Labelled(root, csv);
        var data = TrainingCorpus.Load(config, null, said.Add);
        Assert.Equal(["bach", "chopin"], data.Labels!.Names);
        Assert.Equal(TrainingSongsOf(config, composer, ["bach", "chopin"]), data.Labels.Songs);
        Assert.Contains(said, s => s.Contains("composer from " + csv) && s.Contains("21 of the 21 songs listed"));
        Assert.DoesNotContain(said, s => s.Contains("does not list") || s.Contains("warning"));

        var byGenre = TrainingCorpus.Load(Labelled(root, csv, "genre"), null, _ => { });
        Assert.Equal(["baroque", "romantic"], byGenre.Labels!.Names);
        Assert.Equal(TrainingSongsOf(config, genre, ["baroque", "romantic"]), byGenre.Labels.Songs);
    }

    [Fact]
    public void FilesTheCsvDoesNotListAreLeftOutAndRowsNamingNoSongAreWarnedOf()
    {
        string root = Boxes(perBox: 8);
        var listed = Enumerable.Range(0, 6).SelectMany(i => new[] { ($"box1/a{i}.mid", "bach"), ($"box2/b{i}.mid", "chopin") }).ToList();
        string csv = Csv("file,composer\n" + string.Join("\n", listed.Select(l => $"{l.Item1},{l.Item2}")) +
                               "\ngone.mid,bach\nbox2/nothere.mid,chopin\n../outside.mid,bach\n");
        var said = new List<string>();
        var data = TrainingCorpus.Load(Labelled(root, csv), null, said.Add);

        Assert.Equal(12, data.Train.Count + data.Validation.Count);
        Assert.Equal(data.Train.Count, data.Labels!.Songs.Sum());
        string leftOut = Assert.Single(said, s => s.Contains("does not list"));
        Assert.Contains("12 of the 16 songs listed", leftOut);
        Assert.Contains("the 4 songs it does not list left out", leftOut);
        Assert.Contains(Path.Combine("box1", "a6.mid"), leftOut);
        string warning = Assert.Single(said, s => s.StartsWith("warning:"));
        Assert.Contains("3 rows of " + csv, warning);
        Assert.Contains("gone.mid (line 14)", warning);
        Assert.Contains(Path.Combine("box2", "nothere.mid") + " (line 15)", warning);
    }

    [Fact]
    public void ARowNamingADroppedDuplicateLabelsTheCopyThatWasKept()
    {
        string root = Boxes(perBox: 4);
        File.Copy(Path.Combine(root, "box1", "a0.mid"), Path.Combine(root, "box2", "z-copy.mid"));
        string csv = Csv("file,composer\nbox2/z-copy.mid,bach\nbox1/a1.mid,bach\nbox1/a2.mid,bach\nbox2/b0.mid,chopin\nbox2/b1.mid,chopin\nbox2/b2.mid,chopin\n");
        var said = new List<string>();
        var corpus = TrainingCorpus.Labelled(Corpus.Load(root, new CorpusOptions(ValidationFraction: 0, TestFraction: 0)),
            Labelled(root, csv).Data, said.Add);
        Assert.Equal(3, corpus.Train.Count(s => s.Composer == "bach"));
        Assert.Contains(corpus.Train, s => s.RelativePath == Path.Combine("box1", "a0.mid") && s.Composer == "bach");
        Assert.DoesNotContain(said, s => s.StartsWith("warning:"));
    }

    [Theory]
    [InlineData("file,genre\nbox1/a0.mid,x\n", 1, "no column composer to label the files by composer")]
    [InlineData("path,composer\nbox1/a0.mid,bach\n", 1, "no column file")]
    [InlineData("\n\nfile,composer,FILE\n", 3, "names the column file twice")]
    [InlineData("file,composer\nbox1/a0.mid,bach\n\nbox1/a1.mid,chopin\nbox1/a0.mid,chopin\n", 5, "lists box1/a0.mid again with other labels (composer chopin; line 2: composer bach)")]
    [InlineData("file,composer\nbox1/Op. 1, No. 2.mid,bach\n", 2, "3 fields where the header has 2 (file,composer); quote a field that holds a comma")]
    [InlineData("file,composer\nbox1/a0.mid\n", 2, "1 field where the header has 2")]
    [InlineData("file,composer\nbox1/a0.mid,  \n", 2, "gives box1/a0.mid no composer")]
    [InlineData("file,composer\n,bach\n", 2, "names no file")]
    [InlineData("file,composer\n\"box1/a0.mid,bach\nbox1/a1.mid,bach\n", 2, "is a quote left open?")]
    public void AMalformedCsvIsRefusedNamingItsLineAndWhy(string text, int line, string reason)
    {
        string root = Boxes(perBox: 2);
        string csv = Csv(text);
        var error = Assert.Throws<InvalidDataException>(() => TrainingCorpus.Load(Labelled(root, csv), null, _ => { }));
        Assert.True(error.Message.StartsWith($"{csv} line {line}: "), error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void AnEmptyOrMissingCsvOrOneWithoutAConditionIsRefused()
    {
        string root = Boxes(perBox: 2);
        string empty = Csv("\n  \n");
        Assert.Contains("empty; it needs a header line naming the columns file and composer",
            Assert.Throws<InvalidDataException>(() => TrainingCorpus.Load(Labelled(root, empty), null, _ => { })).Message);
        string none = Path.Combine(root, "nope.csv");
        var missing = Assert.Throws<SettingException>(() => TrainingCorpus.Load(Labelled(root, none), null, _ => { }));
        Assert.Equal($"data.labels_csv {none}: no such file", missing.Message);
        var nothingListed = Csv("file,composer\nelsewhere/x.mid,bach\n");
        Assert.Contains("lists none of the 4 songs", Assert.Throws<InvalidDataException>(() => TrainingCorpus.Load(Labelled(root, nothingListed), null, _ => { })).Message);
        var unconditioned = Assert.Throws<SettingException>(() => TinyRuns.Config().With($"data.path=\"{root}\"", $"data.labels_csv=\"{empty}\"").Validate());
        Assert.Contains("set data.condition", unconditioned.Message);
    }

    [Fact]
    public void ARunLabelledByACsvKeepsItsLabelsThroughCheckpointGeneratorFileAndResume()
    {
        string root = Boxes(perBox: 8);
        string csv = Csv("file,composer\n" + string.Join("\n", Enumerable.Range(0, 8).SelectMany(i =>
            new[] { $"box1/a{i}.mid,{(i < 4 ? "bach" : "handel")}", $"box2/b{i}.mid,{(i < 4 ? "bach" : "chopin")}" })) + "\n");
        var config = Labelled(root, csv);
        var data = TrainingCorpus.Load(config, null, _ => { });
        Assert.Equal(["bach", "chopin", "handel"], data.Labels!.Names);
        string run = TinyRuns.NewFolder();
        using (var trainer = GanTrainer.Start(config, data, run))
            Assert.Equal(TrainingOutcome.Completed, trainer.Run());

        using var trained = TrainedModel.Load(Path.Combine(run, TrainingCheckpoint.FileName));
        Assert.Equal(data.Labels, trained.Labels);
        Assert.Equal(csv, trained.Config.Data.LabelsCsv);
        string file = Path.Combine(run, "exported.bin");
        trained.Export(file, halfPrecision: false, "test");
        using var exported = TrainedModel.Load(file);
        Assert.Equal(data.Labels, exported.Labels);

        using (var resumed = GanTrainer.Resume(run, (c, scaling) => TrainingCorpus.Load(c, scaling, _ => { }), epochs: 3))
            Assert.Equal(data.Labels, resumed.Config.Labels);
        // Other labels in the CSV are not the run's: resuming refuses them.
        File.WriteAllText(csv, File.ReadAllText(csv).Replace("handel", "haydn"));
        var error = Assert.Throws<InvalidDataException>(() => GanTrainer.Resume(run, (c, scaling) => TrainingCorpus.Load(c, scaling, _ => { }), epochs: 4));
        Assert.Contains("are not those", error.Message);
    }
}
