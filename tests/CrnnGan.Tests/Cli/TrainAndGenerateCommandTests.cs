using System.Text.Json;
using System.Text.RegularExpressions;
using CrnnGan.Cli;
using CrnnGan.Midi;
using CrnnGan.Training;

namespace CrnnGan.Tests.Cli;

/// <summary>One tiny 2-epoch run on the synthetic corpus, shared (read-only) by the tests of a class.</summary>
public sealed class TinyRunFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public TinyRunFixture()
    {
        RunFolder = Path.Combine(_folder.Path, "run");
        Result = CliRunner.Run(TrainAndGenerateCommandTests.Tiny("train", "--out", RunFolder));
    }

    public string RunFolder { get; }

    /// <summary>What <c>crnngan train</c> printed and returned for <see cref="RunFolder"/>.</summary>
    internal CliResult Result { get; }

    public void Dispose() => _folder.Dispose();
}

[Collection(TorchCollection.Name)]
public sealed partial class TrainAndGenerateCommandTests(TinyRunFixture run) : IClassFixture<TinyRunFixture>, IDisposable
{
    /// <summary>Settings small enough for a run to take about a second.</summary>
    private static readonly string[] TinySettings =
    [
        "--hidden", "8", "--set", "model.layers=1", "--batch", "4", "--length", "12", "--epochs", "2", "--pretrain-epochs", "1",
        "--set", "data.synthetic_songs=20", "--threads", "1", "--seed", "3",
    ];

    private readonly TempFolder _folder = new();

    /// <summary>The shared run, for the other part of this class.</summary>
    private TinyRunFixture Run => run;

    public void Dispose() => _folder.Dispose();

    /// <summary><paramref name="args"/> plus every tiny setting whose option they do not already give.</summary>
    internal static string[] Tiny(params string[] args)
    {
        var all = new List<string>(args);
        for (int i = 0; i < TinySettings.Length; i += 2)
        {
            string flag = TinySettings[i], value = TinySettings[i + 1];
            bool given = flag == "--set" ? args.Any(a => a.StartsWith(value.Split('=')[0] + "=", StringComparison.Ordinal)) : args.Contains(flag);
            if (!given)
                all.AddRange([flag, value]);
        }
        return [.. all];
    }

    // ---- train ----

    [Fact]
    public void Train_OnTheSyntheticCorpus_WritesCheckpointConfigStatsAndSamples()
    {
        var result = run.Result;
        string folder = run.RunFolder;

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("", result.Error);
        Assert.Contains("data: built-in synthetic corpus: ", result.Output);
        Assert.Matches(@"(?m)^epoch 1 pretraining len \d+: mse ", result.Output);
        Assert.Matches(@"(?m)^epoch 2 adversarial len \d+: G ", result.Output);
        Assert.Contains("done: 2 epochs", result.Output);
        Assert.Contains("model: gan, 1 tone per event, hidden 8 x 1 layers", result.Output);
        Assert.Contains($"make music with: crnngan generate --model {folder} (its best epoch; --last for the last)", result.Output);

        var header = TrainingCheckpoint.ReadHeader(Path.Combine(folder, TrainingCheckpoint.FileName));
        Assert.Equal(2, header.Epoch);
        Assert.Equal(0, header.BatchInEpoch);
        Assert.Equal(8, header.Config.Model.Hidden);
        Assert.Equal(1, header.Config.Model.Layers);
        Assert.Equal(3, header.Config.Seed);
        Assert.Null(header.Config.DataPath);

        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, RunFolderLayout.ConfigFileName))))
        {
            Assert.Equal(8, config.RootElement.GetProperty("model").GetProperty("hidden").GetInt32());
            Assert.Equal(12, config.RootElement.GetProperty("data").GetProperty("length").GetInt32());
            Assert.Equal(2, config.RootElement.GetProperty("run").GetProperty("epochs").GetInt32());
        }

        string[] stats = File.ReadAllLines(Path.Combine(folder, RunFolderLayout.StatsFileName));
        Assert.Equal(StatsCsv.Header, stats[0]);
        Assert.Equal(3, stats.Length);
        int columns = StatsCsv.Header.Split(',').Length;
        Assert.All(stats.Skip(1), row => Assert.Equal(columns, row.Split(',').Length));
        Assert.Equal(["1", "pretraining"], stats[1].Split(',')[..2]);
        Assert.Equal(["2", "adversarial"], stats[2].Split(',')[..2]);

        for (int epoch = 1; epoch <= 2; epoch++)
        {
            string sample = Path.Combine(folder, RunFolderLayout.SamplesFolderName, $"epoch-{epoch:D3}.mid");
            Assert.True(File.Exists(sample), $"{sample} is missing");
            var song = MidiFileReader.Read(sample);
            Assert.NotEmpty(song.Notes);
            AssertNotesInRange(song.Notes);
        }
    }

    [Fact]
    public void Train_OnAMidiFolder_ReportsUnreadableFilesAndDuplicates()
    {
        string data = Path.Combine(_folder.Path, "data");
        var random = new Random(5);
        for (int i = 0; i < 12; i++)
        {
            string composer = i < 6 ? "bach" : "mozart";
            MidiFileWriter.Write(_folder.File($"data/{composer}/song-{i:D2}.mid"), Melody(random, 40));
        }
        File.Copy(_folder.File("data/bach/song-00.mid"), _folder.File("data/mozart/copy-of-song-00.mid"));
        string garbage = _folder.File("data/garbage.mid");
        File.WriteAllText(garbage, "this is not a MIDI file");
        string empty = _folder.File("data/bach/empty.mid");
        File.WriteAllBytes(empty, []);
        string output = Path.Combine(_folder.Path, "run");

        var result = CliRunner.Run(Tiny("train", "--data", data, "--out", output));

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("", result.Error);
        Assert.Matches($@"(?m)^skipped {Regex.Escape(garbage)}: \S.*$", result.Output);
        Assert.Matches($@"(?m)^skipped {Regex.Escape(empty)}: \S.*$", result.Output);
        Assert.Contains("data: 12 songs (1 duplicate dropped, 2 unreadable); ", result.Output);
        Assert.Contains("done: 2 epochs", result.Output);
        var header = TrainingCheckpoint.ReadHeader(Path.Combine(output, TrainingCheckpoint.FileName));
        Assert.Equal(Path.GetFullPath(data), header.Config.DataPath);
        Assert.Equal(2, header.Epoch);
    }

    [Theory]
    [InlineData(new string[0], 1.0, true)]
    [InlineData(new[] { "--set", "losses.fm_spread=0.5" }, 0.5, true)]
    [InlineData(new[] { "--preset", "paper" }, 0.0, false)]
    [InlineData(new[] { "--preset", "paper", "--set", "model.pitch_class_head=true" }, 0.0, true)]
    public void Train_SettingsStartFromThePresetAndTakeEachSetOnTop(string[] options, double spread, bool pitchClassHead)
    {
        string output = Path.Combine(_folder.Path, "run");
        var result = CliRunner.Run(Tiny(["train", "--out", output, "--epochs", "1", .. options]));

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        var config = TrainingCheckpoint.ReadHeader(Path.Combine(output, TrainingCheckpoint.FileName)).Config;
        Assert.Equal((spread, pitchClassHead), (config.Losses.FeatureSpreadWeight, config.Model.PitchClassHead));
    }

    [Fact]
    public void TrainResume_ExtendsAFinishedRunKeepingItsHistory()
    {
        string copy = CopyOfRun();
        string statsPath = Path.Combine(copy, RunFolderLayout.StatsFileName);
        string[] before = File.ReadAllLines(statsPath);

        var result = CliRunner.Run("train", "--resume", "--out", copy, "--epochs", "3");

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("", result.Error);
        Assert.Contains("after epoch 2 of 3", result.Output);
        Assert.Matches(@"(?m)^epoch 3 adversarial len \d+: G ", result.Output);
        Assert.DoesNotMatch(@"(?m)^epoch [12] ", result.Output);
        string[] after = File.ReadAllLines(statsPath);
        Assert.Equal(4, after.Length);
        Assert.Equal(before, after[..3]);
        Assert.Equal(["3", "adversarial"], after[3].Split(',')[..2]);
        Assert.Equal(3, TrainingCheckpoint.ReadHeader(Path.Combine(copy, TrainingCheckpoint.FileName)).Epoch);
        Assert.True(File.Exists(Path.Combine(copy, RunFolderLayout.SamplesFolderName, "epoch-003.mid")));
    }

    // ---- generate ----

    [Fact]
    public void Generate_WithASeed_WritesReadableSongsAndTheSameSeedWritesTheSameBytes()
    {
        string first = Path.Combine(_folder.Path, "first");
        string second = Path.Combine(_folder.Path, "second");

        var result = CliRunner.Run("generate", "--model", run.RunFolder, "--count", "3", "--seed", "42", "--out", first);
        var again = CliRunner.Run("generate", "--model", run.RunFolder, "--count", "3", "--seed", "42", "--out", second);

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("seed 42", result.Output);
        Assert.Contains("wrote 3 songs of 12 events", result.Output);
        string[] files = MidiFilesIn(first);
        Assert.Equal(["song-42-001.mid", "song-42-002.mid", "song-42-003.mid"], files.Select(Path.GetFileName));
        var songs = files.Select(MidiFileReader.Read).ToList();
        Assert.All(songs, song => AssertNotesInRange(song.Notes));
        Assert.True(songs.Sum(s => s.Notes.Count) > 0, "the generated songs hold no notes at all");
        AssertSameFiles(first, second);
    }

    /// <summary>A run folder means its best epoch's G (best-generator.bin), --last its last epoch (checkpoint.bin); generate says which.</summary>
    [Fact]
    public void Generate_FromARunFolder_UsesItsBestEpoch_AndWithLastItsCheckpoint()
    {
        string best = Path.Combine(_folder.Path, "best");
        string bestFile = Path.Combine(_folder.Path, "best-file");
        string last = Path.Combine(_folder.Path, "last");
        string lastFile = Path.Combine(_folder.Path, "last-file");
        string bestGenerator = Path.Combine(run.RunFolder, RunFolderLayout.BestGeneratorFileName);
        Assert.True(File.Exists(bestGenerator), "the tiny run kept no best generator");
        int bestEpoch;
        using (var loaded = CrnnGan.Generation.TrainedModel.Load(bestGenerator)) bestEpoch = loaded.EpochsTrained;

        var a = CliRunner.Run("generate", "--model", run.RunFolder, "-n", "2", "-s", "7", "-o", best);
        var b = CliRunner.Run("generate", "--model", bestGenerator, "--count", "2", "--seed", "7", "--out", bestFile);
        var c = CliRunner.Run("generate", "--model", run.RunFolder, "--last", "--count", "2", "--seed", "7", "--out", last);
        var d = CliRunner.Run("generate", "--model", Path.Combine(run.RunFolder, TrainingCheckpoint.FileName), "--count", "2", "--seed", "7",
            "--out", lastFile);

        Assert.All(new[] { a, b, c, d }, r => Assert.True(r.ExitCode == ExitCodes.Success, $"exit {r.ExitCode}: {r.Error}"));
        string which = bestEpoch == 2 ? "2, also its last" : $"{bestEpoch} of 2; --last takes epoch 2";
        Assert.Contains($"model: {bestGenerator}, the run's best epoch, {which} (gan, 1 tone per event)", a.Output);
        Assert.Contains($"model: {Path.Combine(run.RunFolder, TrainingCheckpoint.FileName)}, the run's last epoch, 2 (gan", c.Output);
        Assert.Equal(["song-7-001.mid", "song-7-002.mid"], MidiFilesIn(best).Select(Path.GetFileName));
        AssertSameFiles(best, bestFile);
        AssertSameFiles(last, lastFile);
    }

    /// <summary>A run stopped before any epoch competed for the best has no best-generator.bin: its last epoch, said so.</summary>
    [Fact]
    public void Generate_FromARunWithoutABestEpoch_UsesItsCheckpointAndSaysWhy()
    {
        string copy = CopyOfRun();
        File.Delete(Path.Combine(copy, RunFolderLayout.BestGeneratorFileName));

        var result = CliRunner.Run("generate", "--model", copy, "--count", "1", "--seed", "1", "--out", Path.Combine(_folder.Path, "songs"));

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains($"the run's last epoch, 2: it has no best epoch yet ({RunFolderLayout.BestGeneratorFileName} comes with its first adversarial epoch)",
            result.Output);
    }

    /// <summary>The summary gives the songs' note counts, and says why they can be fewer than the events.</summary>
    [Fact]
    public void Generate_SaysHowManyNotesTheSongsHold()
    {
        string songs = Path.Combine(_folder.Path, "songs");

        var result = CliRunner.Run("generate", "--model", run.RunFolder, "--count", "4", "--seed", "3", "--out", songs);

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        var counts = MidiFilesIn(songs).Select(f => MidiFileReader.Read(f).Notes.Count).ToList();
        string range = counts.Min() == counts.Max() ? $"{counts.Min()} notes each" : $"{counts.Min()}-{counts.Max()} notes";
        string silent = counts.Min() < 12 ? "; silent events write no note" : "";
        Assert.Contains($"wrote 4 songs of 12 events ({range}{silent}) to {songs}", result.Output);
    }

    /// <summary>Output into a file or pipe is never wrapped: a long path stays whole on its line.</summary>
    [Fact]
    public void Generate_IntoALongPath_PrintsThePathUnbroken()
    {
        string songs = Path.Combine(_folder.Path, string.Join("/", Enumerable.Repeat("a-rather-long-folder-name", 8)));

        var result = CliRunner.Run("generate", "--model", run.RunFolder, "--count", "1", "--seed", "3", "--out", songs);

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.True(songs.Length > 200);
        Assert.Contains($"to {songs} (seed 3;", result.Output);
    }

    [Fact]
    public void Generate_WithoutASeed_PrintsTheSeedItUsedAndThatSeedWritesTheSameSongs()
    {
        string random = Path.Combine(_folder.Path, "random");
        string replay = Path.Combine(_folder.Path, "replay");

        var result = CliRunner.Run("generate", "--model", run.RunFolder, "--count", "3", "--out", random);

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        var seed = Regex.Match(result.Output, @"\(seed (\d+);");
        Assert.True(seed.Success, $"no seed in the output:\n{result.Output}");
        var again = CliRunner.Run("generate", "--model", run.RunFolder, "--count", "3", "--seed", seed.Groups[1].Value, "--out", replay);
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.All(MidiFilesIn(random), file => Assert.StartsWith($"song-{seed.Groups[1].Value}-", Path.GetFileName(file)));
        AssertSameFiles(random, replay);
    }

    // ---- bad input ----

    /// <summary>
    /// Output into a read-only folder (chmod 0555) fails (exit 1) before any work, naming the option and the folder.
    /// Root writes there regardless, so this is skipped as root; the {file}/sub cases above cover root too.
    /// </summary>
    [TheoryUnlessRoot]
    [InlineData("--out", new[] { "train", "--out", "{readonly}/run" })]
    [InlineData("--out", new[] { "generate", "--model", "{run}", "--out", "{readonly}/songs" })]
    [InlineData("--write-demo", new[] { "stats", "--demo", "--write-demo", "{readonly}/demo" })]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void OutputIntoAReadOnlyFolder_Fails(string option, string[] args)
    {
        string readOnly = Directory.CreateDirectory(Path.Combine(_folder.Path, "readonly")).FullName;
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                                       | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            string[] filled = [.. args.Select(a => a.Replace("{readonly}", readOnly).Replace("{run}", run.RunFolder))];

            var result = CliRunner.Run(filled[0] == "train" ? Tiny(filled) : filled);

            Assert.True(result.ExitCode == ExitCodes.Failure, $"exit {result.ExitCode}; stderr: {result.Error}");
            AssertOneErrorLine(result, $"{option} {filled[^1]}: cannot write in {readOnly}");
            Assert.Empty(Directory.GetFileSystemEntries(readOnly));
        }
        finally
        {
            File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    // ---- helpers ----

    private string CopyOfRun()
    {
        string copy = Path.Combine(_folder.Path, "run-copy");
        foreach (string file in Directory.EnumerateFiles(run.RunFolder, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(run.RunFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    /// <summary>A monophonic melody of <paramref name="count"/> notes, each starting when the previous one ends.</summary>
    private static Note[] Melody(Random random, int count)
    {
        var notes = new Note[count];
        long tick = 0;
        for (int i = 0; i < count; i++)
        {
            long length = random.Next(1, 4) * 192;
            notes[i] = new Note(tick, length, random.Next(55, 80), random.Next(60, 110));
            tick += length;
        }
        return notes;
    }

    private static void AssertOneErrorLine(CliResult result, string expected)
    {
        Assert.DoesNotContain("   at ", result.Error);
        Assert.DoesNotContain("   at ", result.Output);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        Assert.StartsWith("crnngan: error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        // Parse errors add a hint on how to get help; nothing else may follow the error line.
        Assert.All(lines.Skip(1), line => Assert.StartsWith("Run 'crnngan", line));
    }

    private static void AssertNotesInRange(IReadOnlyList<Note> notes) =>
        Assert.All(notes, note =>
        {
            Assert.InRange(note.Pitch, 0, 127);
            Assert.InRange(note.Velocity, 1, 127);
            Assert.True(note.StartTick >= 0, $"note starts at tick {note.StartTick}");
            Assert.True(note.LengthTicks > 0, $"note lasts {note.LengthTicks} ticks");
        });

    private static string[] MidiFilesIn(string folder) =>
        [.. Directory.GetFiles(folder, "*.mid").Order(StringComparer.Ordinal)];

    private static void AssertSameFiles(string expectedFolder, string actualFolder)
    {
        string[] expected = MidiFilesIn(expectedFolder);
        string[] actual = MidiFilesIn(actualFolder);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(Path.GetFileName), actual.Select(Path.GetFileName));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(File.ReadAllBytes(expected[i]).AsSpan().SequenceEqual(File.ReadAllBytes(actual[i])), $"{actual[i]} differs from {expected[i]}");
    }

    /// <summary>Every file of a folder with its bytes, to show a command left it alone.</summary>
    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(folder, file), file => Convert.ToBase64String(File.ReadAllBytes(file)));
}
