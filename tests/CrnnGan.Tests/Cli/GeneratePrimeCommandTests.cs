using CrnnGan.Cli;
using CrnnGan.Midi;
using CrnnGan.Tests.Generation;

namespace CrnnGan.Tests.Cli;

/// <summary><c>generate --prime</c>: continuations from the command line, with a small untrained model made in code.</summary>
[Collection(TorchCollection.Name)]
public sealed class GeneratePrimeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _model;
    private readonly List<Note> _melody = PrimeFixtures.Melody(40);
    private readonly string _prime;

    public GeneratePrimeCommandTests()
    {
        _model = PrimeFixtures.ModelFile(_folder.File("g.bin"), tempoBpm: 66, PrimeFixtures.AllExtras);
        _prime = PrimeFixtures.PrimeFile(_folder.File("prime.mid"), _melody, tempoBpm: 90);
    }

    public void Dispose() => _folder.Dispose();

    private CliResult Generate(string output, params string[] args) =>
        CliRunner.Run(["generate", "--model", _model, "--out", _folder.File(output), "--length", "20", "-n", "2", .. args, .. args.Contains("-s") ? [] : new[] { "-s", "4" }]);

    private string Song(string output, int index = 1) => Path.Combine(_folder.Path, output, $"song-4-{index:D3}.mid");

    [Fact]
    public void TheWrittenSongsStartWithThePrimesNotesExactly_ThenGsAfterTheirLastOnset()
    {
        var result = Generate("out", "--prime", _prime, "--prime-events", "10");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Output + result.Error);
        Assert.Contains($"prime: {_prime}, its first 10 events of 40 (10 notes); the files hold them, then G's continuation", result.Output);
        Assert.Contains("tempo: 90 BPM (the prime's most common", result.Output);

        var expectedPrime = PrimeFixtures.AtCrnnGanResolution(_melody, 10);
        long lastOnset = expectedPrime.Max(n => n.StartTick);
        for (int song = 1; song <= 2; song++)
        {
            var written = PrimeFixtures.NotesOf(Song("out", song));
            Assert.Equal(expectedPrime.Where(n => n.StartTick < lastOnset), written.Where(n => n.StartTick < lastOnset));
            Assert.All(expectedPrime, n => Assert.Contains(n, written));
            Assert.True(written.Count > expectedPrime.Count, "G should have written a continuation");
            Assert.Equal(90, MidiFileReader.Read(Song("out", song)).Tempos[0].Bpm, 2);
        }
        Assert.NotEqual(File.ReadAllBytes(Song("out", 1)), File.ReadAllBytes(Song("out", 2)));
    }

    [Fact]
    public void AContinuationIsTheSameForASeed_AndContinuationOnlyWritesItAlone()
    {
        Assert.Equal(ExitCodes.Success, Generate("a", "--prime", _prime, "--prime-events", "10").ExitCode);
        Assert.Equal(ExitCodes.Success, Generate("b", "--prime", _prime, "--prime-events", "10").ExitCode);
        Assert.Equal(File.ReadAllBytes(Song("a")), File.ReadAllBytes(Song("b")));
        Assert.Equal(ExitCodes.Success, Generate("c", "--prime", _prime, "--prime-events", "10", "-s", "5").ExitCode);
        Assert.NotEqual(PrimeFixtures.NotesOf(Song("a")), PrimeFixtures.NotesOf(Path.Combine(_folder.Path, "c", "song-5-001.mid")));

        var alone = Generate("alone", "--prime", _prime, "--prime-events", "10", "--continuation-only");
        Assert.True(alone.ExitCode == ExitCodes.Success, alone.Output + alone.Error);
        Assert.Contains("the files hold G's continuation alone", alone.Output);
        var expectedPrime = PrimeFixtures.AtCrnnGanResolution(_melody, 10);
        long lastOnset = expectedPrime.Max(n => n.StartTick);
        var whole = PrimeFixtures.NotesOf(Song("a"));
        var continuation = PrimeFixtures.NotesOf(Song("alone"));
        Assert.NotEmpty(continuation);
        // The whole song less the prime's notes is the continuation, moved to the prime's last onset.
        var rest = whole.ToList();
        foreach (var note in expectedPrime) rest.Remove(note);
        Assert.Equal(rest, PrimeFixtures.Ordered(continuation.Select(n => n with { StartTick = n.StartTick + lastOnset })));
    }

    [Fact]
    public void FittingTheSongNoise_KeepsThePrimesNotes_IsTheSameForASeed_AndChangesTheContinuation()
    {
        var fitted = Generate("fit", "--prime", _prime, "--prime-events", "10", "--prime-fit", "16");
        Assert.True(fitted.ExitCode == ExitCodes.Success, fitted.Output + fitted.Error);
        Assert.Contains("song noise fitted to it, best of 16 draws", fitted.Output);
        Assert.Equal(ExitCodes.Success, Generate("fit2", "--prime", _prime, "--prime-events", "10", "--prime-fit", "16").ExitCode);
        Assert.Equal(ExitCodes.Success, Generate("plain", "--prime", _prime, "--prime-events", "10").ExitCode);
        Assert.Equal(File.ReadAllBytes(Song("fit")), File.ReadAllBytes(Song("fit2")));
        var written = PrimeFixtures.NotesOf(Song("fit"));
        Assert.All(PrimeFixtures.AtCrnnGanResolution(_melody, 10), n => Assert.Contains(n, written));
        Assert.NotEqual(written, PrimeFixtures.NotesOf(Song("plain")));

        string noSongNoise = PrimeFixtures.ModelFile(_folder.File("plain.bin"), null);
        var refused = CliRunner.Run("generate", "--model", noSongNoise, "--prime", _prime, "--prime-fit", "4", "--out", _folder.File("x"));
        Assert.Equal(ExitCodes.BadUsage, refused.ExitCode);
        Assert.Contains($"--prime-fit chooses each song's song noise, and {noSongNoise} has none", refused.Error);
    }

    [Fact]
    public void PrimingChangesTheContinuation()
    {
        Assert.Equal(ExitCodes.Success, Generate("plain").ExitCode);
        Assert.Equal(ExitCodes.Success, Generate("primed", "--prime", _prime, "--prime-events", "10", "--continuation-only").ExitCode);
        Assert.NotEqual(PrimeFixtures.NotesOf(Song("plain")), PrimeFixtures.NotesOf(Song("primed")));

        // Another prime of as many events, the same seed (so the same noise): another continuation.
        string low = PrimeFixtures.PrimeFile(_folder.File("low.mid"), PrimeFixtures.Melody(40, lowest: 36, seed: 3));
        Assert.Equal(ExitCodes.Success, Generate("low", "--prime", low, "--prime-events", "10", "--continuation-only").ExitCode);
        Assert.NotEqual(PrimeFixtures.NotesOf(Song("primed")), PrimeFixtures.NotesOf(Song("low")));
    }

    [Fact]
    public void WithoutAPrime_TheModelsStoredTempoIsWritten_AndTempoOverridesBoth()
    {
        var result = Generate("plain");
        Assert.Contains("tempo: 66 BPM (the training music's most common, stored with the model", result.Output);
        Assert.Equal(66, MidiFileReader.Read(Song("plain")).Tempos[0].Bpm, 2);
        Assert.Equal(ExitCodes.Success, Generate("fast", "--prime", _prime, "--tempo", "150").ExitCode);
        Assert.Equal(150, MidiFileReader.Read(Song("fast")).Tempos[0].Bpm, 2);
    }

    [Theory]
    [InlineData("empty", ExitCodes.Failure, "the file is empty (0 bytes)")]
    [InlineData("garbage", ExitCodes.Failure, "cannot be read as MIDI: not a MIDI file")]
    [InlineData("silent", ExitCodes.Failure, "holds no notes to continue")]
    [InlineData("missing", ExitCodes.Failure, "no such file")]
    [InlineData("short", ExitCodes.Failure, "has 5 events (notes, or notes starting together), fewer than the 10 asked for")]
    public void PrimesThatCannotBeContinued_GiveOneLineNamingTheFile(string kind, int exitCode, string reason)
    {
        string path = _folder.File($"{kind}.mid");
        switch (kind)
        {
            case "empty": File.WriteAllBytes(path, []); break;
            case "garbage": File.WriteAllText(path, "just text, no music"); break;
            case "silent": PrimeFixtures.PrimeFile(path, []); break;
            case "short": PrimeFixtures.PrimeFile(path, PrimeFixtures.Melody(5, seed: 9)); break;
        }
        var result = Generate("out", "--prime", path, "--prime-events", "10");
        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith($"crnngan: error: prime {path}: {reason}", result.Error.Trim());
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "out")) && Directory.EnumerateFiles(Path.Combine(_folder.Path, "out")).Any(), "nothing should be written");
    }

    [Theory]
    [InlineData("--prime-events needs --prime FILE.mid", "--prime-events", "5")]
    [InlineData("--continuation-only needs --prime FILE.mid", "--continuation-only")]
    [InlineData("--prime-fit needs --prime FILE.mid", "--prime-fit", "4")]
    [InlineData("--prime-fit must be 1 to 1024, got 0", "--prime", "x.mid", "--prime-fit", "0")]
    [InlineData("--prime-events must be 1 to 100000, got 0", "--prime", "x.mid", "--prime-events", "0")]
    public void PrimeOptionsWithoutAPrimeOrOutOfRange_AreUsageErrors(string message, params string[] args)
    {
        var result = Generate("out", args);
        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains(message, result.Error);
    }
}
