using System.Buffers.Binary;
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
public sealed class TrainAndGenerateCommandTests(TinyRunFixture run) : IClassFixture<TinyRunFixture>, IDisposable
{
    /// <summary>Settings small enough for a run to take about a second.</summary>
    private static readonly string[] TinySettings =
    [
        "--hidden", "8", "--set", "model.layers=1", "--batch", "4", "--length", "12", "--epochs", "2", "--pretrain-epochs", "1",
        "--set", "data.synthetic_songs=20", "--threads", "1", "--seed", "3",
    ];

    private readonly TempFolder _folder = new();

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

    [Fact]
    public void Generate_FromTheCheckpointFile_WritesWhatTheRunFolderWrites()
    {
        string fromFolder = Path.Combine(_folder.Path, "folder");
        string fromFile = Path.Combine(_folder.Path, "file");

        var a = CliRunner.Run("generate", "--model", run.RunFolder, "--count", "2", "--seed", "7", "--out", fromFolder);
        var b = CliRunner.Run("generate", "--model", Path.Combine(run.RunFolder, TrainingCheckpoint.FileName), "--count", "2", "--seed", "7",
            "--out", fromFile);

        Assert.Equal(ExitCodes.Success, a.ExitCode);
        Assert.True(b.ExitCode == ExitCodes.Success, $"exit {b.ExitCode}: {b.Error}");
        AssertSameFiles(fromFolder, fromFile);
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
    /// Bad input to every command: exit 2 for a wrong command line, 1 for a failure, and one line on stderr naming
    /// the problem. Placeholders in the arguments and the expected message: {missing} (no such path), {empty} (an
    /// empty folder), {nomidi} (a folder holding only readme.txt), {textonly} (only a text file named x.mid),
    /// {textmid} (that x.mid itself), {file} (a regular file), {short} (MIDI files too short for --length 12), {run}
    /// (the shared 2-epoch run), {runcopy} (a copy of it), {truncated} (a folder whose checkpoint.bin stops inside its
    /// header), {v99} (a checkpoint whose header says format 99), {badheader} (one whose header says --hidden
    /// 100000000), {wrongweights} (one whose header says --hidden 16 over weights of hidden 8), {full} (a link to
    /// /dev/full, a disk that is always full), {fullrun} (a folder whose config.json is such a link), {fullout} (a
    /// folder whose song-7-001.mid is one). Links to /dev/full rather than /dev/full itself: should writing ever
    /// rename over its target again, only the link is lost, not the device. Every train and generate case also gets
    /// --out {out} unless it names its own, and train cases the tiny settings for options they do not give.
    /// </summary>
    [Theory]
    // stats
    [InlineData(ExitCodes.BadUsage, "a PATH is an empty string", new[] { "stats", "" })]
    [InlineData(ExitCodes.Failure, "no MIDI files (.mid, .midi, .kar, .rmi) found in {empty}", new[] { "stats", "{empty}" })]
    [InlineData(ExitCodes.Failure, "the only MIDI file found could not be read", new[] { "stats", "{textmid}" })]
    [InlineData(ExitCodes.BadUsage, "--json needs a file name, got an empty string", new[] { "stats", "--demo", "--json", "" })]
    [InlineData(ExitCodes.BadUsage, "--json {empty}: is a folder, expected a file name", new[] { "stats", "--demo", "--json", "{empty}" })]
    [InlineData(ExitCodes.BadUsage, "--csv {file}/x.csv: folder {file} does not exist", new[] { "stats", "--demo", "--csv", "{file}/x.csv" })]
    [InlineData(ExitCodes.BadUsage, "--write-demo {file}/sub: {file} is a file, not a folder", new[] { "stats", "--demo", "--write-demo", "{file}/sub" })]
    [InlineData(ExitCodes.Failure, "{full}: cannot write: No space left on device", new[] { "stats", "--demo", "--json", "{full}" })]
    [InlineData(ExitCodes.Failure, "{full}: cannot write: No space left on device", new[] { "stats", "--demo", "--csv", "{full}" })]
    // train
    [InlineData(ExitCodes.BadUsage, "--data {missing}: no such folder", new[] { "train", "--data", "{missing}" })]
    [InlineData(ExitCodes.BadUsage, "--data {textmid}: is a file; --data takes a folder of MIDI files", new[] { "train", "--data", "{textmid}" })]
    [InlineData(ExitCodes.BadUsage, "--data needs a folder of MIDI files, got an empty string", new[] { "train", "--data", "" })]
    [InlineData(ExitCodes.BadUsage, "--epochs must be at least 1, got 0", new[] { "train", "--epochs", "0" })]
    [InlineData(ExitCodes.BadUsage, "--tones-per-cell must be 1 or 3, got 2", new[] { "train", "--tones-per-cell", "2" })]
    [InlineData(ExitCodes.BadUsage, "--hidden must be at least 1, got 0", new[] { "train", "--hidden", "0" })]
    [InlineData(ExitCodes.BadUsage, "--hidden must be at most 8192, got 100000000", new[] { "train", "--hidden", "100000000" })]
    [InlineData(ExitCodes.BadUsage, "model.layers must be at least 1, got 0", new[] { "train", "--set", "model.layers=0" })]
    [InlineData(ExitCodes.BadUsage, "--length must be at least 2, got 1", new[] { "train", "--length", "1" })]
    [InlineData(ExitCodes.BadUsage, "--length must be at most 100000, got 100000000", new[] { "train", "--length", "100000000" })]
    [InlineData(ExitCodes.BadUsage, "--batch must be at least 1, got 0", new[] { "train", "--batch", "0" })]
    [InlineData(ExitCodes.BadUsage, "--batch must be at most 100000, got 2000000000", new[] { "train", "--batch", "2000000000" })]
    [InlineData(ExitCodes.BadUsage, "--threads must be 1 to 1024, got 0", new[] { "train", "--threads", "0" })]
    [InlineData(ExitCodes.BadUsage, "optimisation.learning_rate must be positive, got -1", new[] { "train", "--set", "optimisation.learning_rate=-1" })]
    [InlineData(ExitCodes.BadUsage, "optimisation.lr_decay_epoch must be at least 1, got 0", new[] { "train", "--set", "optimisation.lr_decay_epoch=0" })]
    [InlineData(ExitCodes.BadUsage, "data.synthetic_songs must be at most 100000, got 1000000000", new[] { "train", "--set", "data.synthetic_songs=1000000000" })]
    [InlineData(ExitCodes.BadUsage, "run.validation_songs must be at least 2, got 1", new[] { "train", "--set", "run.validation_songs=1" })]
    [InlineData(ExitCodes.BadUsage, "model.song_noise must be 0 to 4096, got -1", new[] { "train", "--set", "model.song_noise=-1" })]
    [InlineData(ExitCodes.BadUsage, "losses.fm_spread must be 0 or more, got -1", new[] { "train", "--set", "losses.fm_spread=-1" })]
    [InlineData(ExitCodes.BadUsage, "model.d_song_moments must be 0 or more, got -0.5", new[] { "train", "--set", "model.d_song_moments=-0.5" })]
    [InlineData(ExitCodes.BadUsage, "run.keep_by must be one of mean, worst, got \"best\"", new[] { "train", "--set", "run.keep_by=best" })]
    [InlineData(ExitCodes.BadUsage, "losses.fm_spread needs feature matching of means", new[] { "train", "--preset", "paper", "--set", "losses.fm_spread=1" })]
    [InlineData(ExitCodes.BadUsage, "model.d_song_ranges is not a setting; model has tones_per_cell, hidden,", new[] { "train", "--set", "model.d_song_ranges=1" })]
    [InlineData(ExitCodes.BadUsage, "model.hidden must be a whole number, got \"many\"", new[] { "train", "--set", "model.hidden=many" })]
    [InlineData(ExitCodes.BadUsage, "layers is not a setting; settings are group.name, the groups model, optimisation, losses, data, run", new[] { "train", "--set", "layers=2" })]
    [InlineData(ExitCodes.BadUsage, "no preset named 'fast' and no such file (the presets: bundled-classical, crnngan, paper)", new[] { "train", "--preset", "fast" })]
    [InlineData(ExitCodes.BadUsage, "--device must be cpu or cuda, got 'tpu'", new[] { "train", "--device", "tpu" })]
    [InlineData(ExitCodes.BadUsage, "--mode must be gan or baseline, got 'nonsense'", new[] { "train", "--mode", "nonsense" })]
    [InlineData(ExitCodes.BadUsage, "--out needs a folder, got an empty string", new[] { "train", "--out", "" })]
    [InlineData(ExitCodes.BadUsage, "--out {file}/sub: {file} is a file, not a folder", new[] { "train", "--out", "{file}/sub" })]
    [InlineData(ExitCodes.BadUsage, "--resume: {empty} holds no checkpoint", new[] { "train", "--resume", "--out", "{empty}" })]
    [InlineData(ExitCodes.BadUsage, "{run} already holds a run: add --resume", new[] { "train", "--out", "{run}" })]
    [InlineData(ExitCodes.BadUsage, "--epochs must be at least the 2 epochs", new[] { "train", "--resume", "--out", "{runcopy}", "--epochs", "1" })]
    [InlineData(ExitCodes.BadUsage, "--resume keeps the run's settings, but --hidden asks for 16 where the run has 8",
        new[] { "train", "--resume", "--out", "{runcopy}", "--hidden", "16" })]
    [InlineData(ExitCodes.Failure, "{truncated}/checkpoint.bin: truncated", new[] { "train", "--resume", "--out", "{truncated}" })]
    [InlineData(ExitCodes.Failure, "{v99}/checkpoint.bin: checkpoint format 99 (crnngan 9.9.9) cannot be read by crnngan",
        new[] { "train", "--resume", "--out", "{v99}" })]
    [InlineData(ExitCodes.Failure, "{badheader}/checkpoint.bin: corrupt checkpoint header: model.hidden must be at most 8192, got 100000000",
        new[] { "train", "--resume", "--out", "{badheader}" })]
    [InlineData(ExitCodes.Failure, "{textonly}: no readable MIDI files (1 unreadable)", new[] { "train", "--data", "{textonly}" })]
    [InlineData(ExitCodes.Failure, "{empty}: no MIDI files (.mid, .midi, .kar, .rmi) found", new[] { "train", "--data", "{empty}" })]
    [InlineData(ExitCodes.Failure, "{nomidi}: no MIDI files (.mid, .midi, .kar, .rmi) found", new[] { "train", "--data", "{nomidi}" })]
    [InlineData(ExitCodes.Failure, "{short}: no training song has at least 12 events", new[] { "train", "--data", "{short}" })]
    [InlineData(ExitCodes.Failure, "{fullrun}/config.json: cannot write: No space left on device", new[] { "train", "--out", "{fullrun}" })]
    // generate
    [InlineData(ExitCodes.BadUsage, "--model {missing}: no such run folder or checkpoint", new[] { "generate", "--model", "{missing}" })]
    [InlineData(ExitCodes.BadUsage, "--model {empty}: holds no checkpoint.bin", new[] { "generate", "--model", "{empty}" })]
    [InlineData(ExitCodes.BadUsage, "--model needs a run folder or checkpoint, got an empty string", new[] { "generate", "--model", "" })]
    [InlineData(ExitCodes.Failure, "{textmid}: not a crnngan checkpoint", new[] { "generate", "--model", "{textmid}" })]
    [InlineData(ExitCodes.Failure, "{truncated}/checkpoint.bin: truncated", new[] { "generate", "--model", "{truncated}" })]
    [InlineData(ExitCodes.Failure, "{v99}/checkpoint.bin: checkpoint format 99 (crnngan 9.9.9) cannot be read by crnngan",
        new[] { "generate", "--model", "{v99}" })]
    [InlineData(ExitCodes.Failure, "{badheader}/checkpoint.bin: corrupt checkpoint header: model.hidden must be at most 8192",
        new[] { "generate", "--model", "{badheader}" })]
    [InlineData(ExitCodes.Failure, "{wrongweights}/checkpoint.bin: truncated or corrupt weights", new[] { "generate", "--model", "{wrongweights}" })]
    [InlineData(ExitCodes.BadUsage, "--count must be 1 to 100000, got -5", new[] { "generate", "--model", "{run}", "--count", "-5" })]
    [InlineData(ExitCodes.BadUsage, "--count must be 1 to 100000, got 100001", new[] { "generate", "--model", "{run}", "--count", "100001" })]
    [InlineData(ExitCodes.BadUsage, "--length must be 1 to 100000, got 0", new[] { "generate", "--model", "{run}", "--length", "0" })]
    [InlineData(ExitCodes.BadUsage, "--count 1000 songs of 100000 events each is 100000000 events; at most 10000000",
        new[] { "generate", "--model", "{run}", "--count", "1000", "--length", "100000" })]
    [InlineData(ExitCodes.BadUsage, "--tempo must be between 0 and 1000 BPM, got 0", new[] { "generate", "--model", "{run}", "--tempo", "0" })]
    [InlineData(ExitCodes.BadUsage, "--out {file}: is a file, expected a folder", new[] { "generate", "--model", "{run}", "--out", "{file}" })]
    [InlineData(ExitCodes.Failure, "{fullout}/song-7-001.mid: cannot write: No space left on device",
        new[] { "generate", "--model", "{run}", "--seed", "7", "--count", "1", "--out", "{fullout}" })]
    public void BadInput_GivesItsExitCodeAndOneLineNamingTheProblem(int exitCode, string message, string[] args)
    {
        var places = MakePlaces();
        string Fill(string text) => places.Aggregate(text, (t, place) => t.Replace($"{{{place.Key}}}", place.Value));
        var filled = args.Select(Fill).ToList();
        if (filled[0] != "stats" && !filled.Contains("--out")) filled.AddRange(["--out", places["out"]]);
        var runBefore = Snapshot(run.RunFolder);

        var result = CliRunner.Run(filled[0] == "train" ? Tiny([.. filled]) : [.. filled]);

        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, expected {exitCode}; stderr: {result.Error}");
        AssertOneErrorLine(result, Fill(message));
        Assert.False(Path.Exists(places["out"]), "a failed command created its --out folder");
        Assert.Equal(runBefore, Snapshot(run.RunFolder));
        Assert.Equal("/dev/full", new FileInfo(places["full"]).LinkTarget);
    }

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

    /// <summary>A checkpoint.bin cut short anywhere is a failure (exit 1) naming the file, never a crash.</summary>
    [Theory]
    [InlineData("empty", "truncated checkpoint")]
    [InlineData("magic", "truncated checkpoint")]
    [InlineData("length", "truncated or corrupt checkpoint")]
    [InlineData("header", "truncated or corrupt checkpoint header")]
    [InlineData("weights", "truncated or corrupt weights")]
    public void Generate_FromATruncatedCheckpoint_FailsNamingTheFile(string cutInside, string reason)
    {
        byte[] checkpoint = File.ReadAllBytes(Path.Combine(run.RunFolder, TrainingCheckpoint.FileName));
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(checkpoint.AsSpan(8, 4));
        int keep = cutInside switch
        {
            "empty" => 0,
            "magic" => 5,
            "length" => 10,
            "header" => 12 + headerLength / 2,
            _ => 12 + headerLength + 64,
        };
        string path = _folder.File($"cut/{TrainingCheckpoint.FileName}");
        File.WriteAllBytes(path, checkpoint[..keep]);
        string output = Path.Combine(_folder.Path, "out");

        var result = CliRunner.Run("generate", "--model", Path.GetDirectoryName(path)!, "--out", output);

        Assert.True(result.ExitCode == ExitCodes.Failure, $"exit {result.ExitCode}; stderr: {result.Error}");
        AssertOneErrorLine(result, $"{path}: {reason}");
        Assert.False(Path.Exists(output));
    }

    // ---- helpers ----

    private Dictionary<string, string> MakePlaces()
    {
        string Folder(string name) => Directory.CreateDirectory(Path.Combine(_folder.Path, name)).FullName;

        string textOnly = Folder("textonly");
        File.WriteAllText(Path.Combine(textOnly, "x.mid"), "just some text");

        string noMidi = Folder("nomidi");
        File.WriteAllText(Path.Combine(noMidi, "readme.txt"), "no music here");

        string file = Path.Combine(_folder.Path, "file.txt");
        File.WriteAllText(file, "a file, not a folder");

        string tooShort = Folder("short");
        var random = new Random(9);
        for (int i = 0; i < 5; i++) MidiFileWriter.Write(Path.Combine(tooShort, $"tiny-{i}.mid"), Melody(random, 4));

        string runCheckpoint = Path.Combine(run.RunFolder, TrainingCheckpoint.FileName);
        byte[] checkpoint = File.ReadAllBytes(runCheckpoint);
        string truncated = Folder("truncated");
        File.WriteAllBytes(Path.Combine(truncated, TrainingCheckpoint.FileName), checkpoint[..200]);

        string full = Path.Combine(_folder.Path, "full");
        File.CreateSymbolicLink(full, "/dev/full");
        string fullRun = Folder("fullrun");
        File.CreateSymbolicLink(Path.Combine(fullRun, RunFolderLayout.ConfigFileName), "/dev/full");
        string fullOut = Folder("fullout");
        File.CreateSymbolicLink(Path.Combine(fullOut, "song-7-001.mid"), "/dev/full");

        return new Dictionary<string, string>
        {
            ["missing"] = Path.Combine(_folder.Path, "no-such-folder"),
            ["empty"] = Folder("empty"),
            ["nomidi"] = noMidi,
            ["textonly"] = textOnly,
            ["textmid"] = Path.Combine(textOnly, "x.mid"),
            ["file"] = file,
            ["short"] = tooShort,
            ["run"] = run.RunFolder,
            ["runcopy"] = CopyOfRun(),
            ["truncated"] = truncated,
            ["v99"] = EditedCheckpoint(Folder("v99"), checkpoint, header =>
            {
                header["FormatVersion"] = 99;
                header["CrnnGanVersion"] = "9.9.9";
            }),
            ["badheader"] = EditedCheckpoint(Folder("badheader"), checkpoint, header => header["Config"]!["model"]!["hidden"] = 100_000_000),
            ["wrongweights"] = EditedCheckpoint(Folder("wrongweights"), checkpoint, header => header["Config"]!["model"]!["hidden"] = 16),
            ["full"] = full,
            ["fullrun"] = fullRun,
            ["fullout"] = fullOut,
            ["out"] = Path.Combine(_folder.Path, "out"),
        };
    }

    /// <summary>Writes <paramref name="checkpoint"/> into <paramref name="folder"/> with its JSON header edited; the weights stay as they were.</summary>
    private static string EditedCheckpoint(string folder, byte[] checkpoint, Action<System.Text.Json.Nodes.JsonNode> edit)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(checkpoint.AsSpan(8, 4));
        var header = System.Text.Json.Nodes.JsonNode.Parse(checkpoint.AsSpan(12, length))!;
        edit(header);
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        var edited = new byte[12 + json.Length + checkpoint.Length - 12 - length];
        checkpoint.AsSpan(0, 8).CopyTo(edited);
        BinaryPrimitives.WriteInt32LittleEndian(edited.AsSpan(8, 4), json.Length);
        json.CopyTo(edited, 12);
        checkpoint.AsSpan(12 + length).CopyTo(edited.AsSpan(12 + json.Length));
        File.WriteAllBytes(Path.Combine(folder, TrainingCheckpoint.FileName), edited);
        return folder;
    }

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
