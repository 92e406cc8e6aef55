using System.Buffers.Binary;
using CrnnGan.Cli;
using CrnnGan.Midi;
using CrnnGan.Tests.IO;
using CrnnGan.Training;

namespace CrnnGan.Tests.Cli;

/// <summary>Bad input to every command: its exit code and the one line that names the problem.</summary>
public sealed partial class TrainAndGenerateCommandTests
{
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
    [InlineData(ExitCodes.BadUsage, "--epochs must be 1 to 100000, got 0", new[] { "train", "--epochs", "0" })]
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
    [InlineData(ExitCodes.BadUsage, "run.keep_by must be one of mean, worst, realism, got \"best\"", new[] { "train", "--set", "run.keep_by=best" })]
    [InlineData(ExitCodes.BadUsage, "losses.fm_spread needs feature matching of means", new[] { "train", "--preset", "paper", "--set", "losses.fm_spread=1" })]
    [InlineData(ExitCodes.BadUsage, "model.d_song_ranges is not a setting; model has tones_per_cell, hidden,", new[] { "train", "--set", "model.d_song_ranges=1" })]
    [InlineData(ExitCodes.BadUsage, "model.hidden must be a whole number, got \"many\"", new[] { "train", "--set", "model.hidden=many" })]
    [InlineData(ExitCodes.BadUsage, "layers is not a setting; settings are group.name, the groups model, optimisation, losses, data, run", new[] { "train", "--set", "layers=2" })]
    [InlineData(ExitCodes.BadUsage, "no preset named 'fast' and no such file (the presets: bundled-classical, crnngan, demo, paper)", new[] { "train", "--preset", "fast" })]
    [InlineData(ExitCodes.BadUsage, "--device must be cpu, got 'tpu'", new[] { "train", "--device", "tpu" })]
    [InlineData(ExitCodes.BadUsage, "run.device must be cpu, got 'tpu'", new[] { "train", "--set", "run.device=tpu" })]
    [InlineData(ExitCodes.BadUsage, "run.device cuda: this build runs on the CPU only", new[] { "train", "--set", "run.device=cuda" })]
    [InlineData(ExitCodes.BadUsage, "--epochs must be 1 to 100000, got 999999999", new[] { "train", "--epochs", "999999999" })]
    [InlineData(ExitCodes.Failure, "--tensorboard /proc/x: cannot write in /proc", new[] { "train", "--tensorboard", "/proc/x" })]
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
    [InlineData(ExitCodes.BadUsage, "--last needs --model to be a run folder; {textmid} is a file", new[] { "generate", "--model", "{textmid}", "--last" })]
    [InlineData(ExitCodes.BadUsage, "--last needs --model to be a run folder", new[] { "generate", "--last" })]
    // where other commands write
    [InlineData(ExitCodes.Failure, "--out /proc/x: cannot write in /proc", new[] { "plot", "{run}", "--out", "/proc/x" })]
    [InlineData(ExitCodes.Failure, "--out /proc/x: cannot write in /proc", new[] { "pianoroll", "{run}/samples", "--out", "/proc/x" })]
    [InlineData(ExitCodes.Failure, "--out /proc/x/classical: cannot write in /proc", new[] { "download", "classical", "--out", "/proc/x" })]
    [InlineData(ExitCodes.BadUsage, "--out {file}/x.wav: folder {file} does not exist", new[] { "render", "{run}/samples/epoch-001.mid", "--out", "{file}/x.wav" })]
    [InlineData(ExitCodes.Failure, "{fullout}/song-7-001.mid: cannot write: No space left on device",
        new[] { "generate", "--model", "{run}", "--seed", "7", "--count", "1", "--out", "{fullout}" })]
    public void BadInput_GivesItsExitCodeAndOneLineNamingTheProblem(int exitCode, string message, string[] args)
    {
        var places = MakePlaces();
        string Fill(string text) => places.Aggregate(text, (t, place) => t.Replace($"{{{place.Key}}}", place.Value));
        var filled = args.Select(Fill).ToList();
        if (filled[0] != "stats" && !filled.Contains("--out")) filled.AddRange(["--out", places["out"]]);
        var runBefore = Snapshot(Run.RunFolder);

        var result = CliRunner.Run(filled[0] == "train" ? Tiny([.. filled]) : [.. filled]);

        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, expected {exitCode}; stderr: {result.Error}");
        AssertOneErrorLine(result, Fill(message));
        Assert.False(Path.Exists(places["out"]), "a failed command created its --out folder");
        Assert.Equal(runBefore, Snapshot(Run.RunFolder));
        Assert.Equal("/dev/full", new FileInfo(places["full"]).LinkTarget);
    }

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

        string runCheckpoint = Path.Combine(Run.RunFolder, TrainingCheckpoint.FileName);
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
            ["run"] = Run.RunFolder,
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
        File.WriteAllBytes(Path.Combine(folder, TrainingCheckpoint.FileName), HeaderedBytes.EditHeader(checkpoint, edit));
        return folder;
    }

    /// <summary>A checkpoint.bin cut short anywhere is a failure (exit 1) naming the file, never a crash.</summary>
    [Theory]
    [InlineData("empty", "truncated checkpoint")]
    [InlineData("magic", "truncated checkpoint")]
    [InlineData("length", "truncated or corrupt checkpoint")]
    [InlineData("header", "truncated or corrupt checkpoint header")]
    [InlineData("weights", "truncated checkpoint: it ends")]
    public void Generate_FromATruncatedCheckpoint_FailsNamingTheFile(string cutInside, string reason)
    {
        byte[] checkpoint = File.ReadAllBytes(Path.Combine(Run.RunFolder, TrainingCheckpoint.FileName));
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
}
