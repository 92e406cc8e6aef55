using System.Text.Json;
using CrnnGan.Cli;
using CrnnGan.Evaluation;
using CrnnGan.Midi;
using CrnnGan.Tests.Reports;
using CrnnGan.Training;

namespace CrnnGan.Tests.Cli;

/// <summary>plot, pianoroll and compare on hand-written run folders and MIDI files: no training needed.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Plot_WritesFigure3AndLossesPerRun_AndAComparisonOfSeveral()
    {
        string gan = RunFixtures.WriteRun(_folder.File("runs/gan/x"), RunFixtures.History(), RunFixtures.Reference());
        string older = RunFixtures.WriteRun(_folder.File("runs/older/x"), RunFixtures.History(adversarial: 1), reference: null);
        string output = Path.Combine(_folder.Path, "pictures");

        var result = CliRunner.Run("plot", gan, older, "--out", output);

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains("has no reference_stats.json (an older run)", result.Output);
        // Both folders are called x, so their parents' names tell them apart.
        foreach (string name in new[] { "gan-x-figure3.png", "gan-x-losses.png", "older-x-figure3.png", "older-x-losses.png", "comparison-figure3.png" })
            PngAssert.IsPng(Path.Combine(output, name), 1200, 800);
    }

    [Fact]
    public void Plot_OfAFolderThatIsNoRun_IsAUsageError()
    {
        var result = CliRunner.Run("plot", _folder.Path, "--out", _folder.Path);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("not a run folder (no stats.csv)", result.Error);
    }

    [Fact]
    public void PianoRoll_DrawsEachFile_AndAnEmptySong()
    {
        string song = _folder.File("midi/scale.mid");
        MidiFileWriter.Write(song, [.. new[] { 48, 55, 60, 64, 67, 72 }.Select((p, i) => new Note(i * 192, 384, p, 30 + 15 * i))]);
        string empty = _folder.File("midi/silence.mid");
        MidiFileWriter.Write(empty, []);
        string output = Path.Combine(_folder.Path, "rolls");

        var result = CliRunner.Run("pianoroll", song, empty, "--out", output);

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains("(6 notes)", result.Output);
        Assert.Contains("(0 notes)", result.Output);
        PngAssert.IsPng(Path.Combine(output, "scale.png"), 1000, 600);
        PngAssert.IsPng(Path.Combine(output, "silence.png"), 1000, 600);
    }

    [Fact]
    public void PianoRoll_OfAnUnreadableFile_FailsAndSaysWhy()
    {
        string garbage = _folder.File("garbage.mid");
        File.WriteAllText(garbage, "not MIDI");

        var result = CliRunner.Run("pianoroll", garbage, "--out", _folder.Path);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains($"skipped {garbage}: ", result.Output);
    }

    [Fact]
    public void Compare_Json_HasEachRunsLastEpochAndTheSharedReference()
    {
        var reference = RunFixtures.Reference(toneSpan: 20);
        string a = RunFixtures.WriteRun(_folder.File("runs/a"), RunFixtures.History(adversarial: 2, firstSpan: 4), reference);
        string b = RunFixtures.WriteRun(_folder.File("runs/b"), RunFixtures.History(adversarial: 4, firstSpan: 10), reference);
        string json = _folder.File("out/compare.json");
        string csv = _folder.File("out/compare.csv");
        string png = _folder.File("out/compare.png");

        var result = CliRunner.Run("compare", a, b, "--json", json, "--csv", csv, "--out", png);

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Matches(@"tone_span\s+│\s+8\s+│\s+16\s+│\s+20\s+│", result.Output);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var runs = document.RootElement.GetProperty("runs");
        Assert.Equal(["a", "b"], runs.EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal([4, 6], runs.EnumerateArray().Select(r => r.GetProperty("epoch").GetInt32()));
        // The last epoch's tone span is firstSpan + epoch: 4 + 4 and 10 + 6.
        Assert.Equal([8.0, 16.0], runs.EnumerateArray().Select(r => r.GetProperty("statistics").GetProperty("tone_span").GetDouble()));
        Assert.Equal(0.9, runs[0].GetProperty("statistics").GetProperty("scale_consistency").GetDouble());
        var real = Assert.Single(document.RootElement.GetProperty("real").EnumerateArray());
        Assert.Equal("real music", real.GetProperty("name").GetString());
        Assert.Equal(20.0, real.GetProperty("statistics").GetProperty("tone_span").GetDouble());
        Assert.Equal(6, real.GetProperty("windows").GetInt32());

        string[] lines = File.ReadAllLines(csv);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("name,kind,epoch,events,windows,num_tones,", lines[0]);
        int toneSpan = Array.IndexOf(lines[0].Split(','), "tone_span");
        Assert.Equal(["a", "b", "real music"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal(["8", "16", "20"], lines.Skip(1).Select(l => l.Split(',')[toneSpan]));
        PngAssert.IsPng(png, 1200, 800);
    }

    [Fact]
    public void Compare_WithReal_CutsTheFilesIntoWindowsAsLongAsTheRunsSongs()
    {
        string run = RunFixtures.WriteRun(_folder.File("runs/short"), [RunFixtures.Epoch(1, TrainingPhase.Adversarial, 3, length: 2)], reference: null);
        // Windows of 2 events: [60 62] and [64 65], tone spans 2 and 1; the one-note song is too short.
        MidiFileWriter.Write(_folder.File("real/a.mid"), TestSongsOf(60, 62, 64, 65));
        MidiFileWriter.Write(_folder.File("real/b.mid"), TestSongsOf(72));
        string json = _folder.File("compare.json");

        var result = CliRunner.Run("compare", run, "--real", _folder.File("real"), "--json", json, "--out", _folder.File("compare.png"));

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains("real music: 2 windows of 2 events cut from 1 of 2 songs", result.Output);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var real = Assert.Single(document.RootElement.GetProperty("real").EnumerateArray());
        Assert.Equal(1.5, real.GetProperty("statistics").GetProperty("tone_span").GetDouble(), 9);
        Assert.Equal(2.0, real.GetProperty("statistics").GetProperty("unique_tones").GetDouble(), 9);
        Assert.Equal(2, real.GetProperty("windows").GetInt32());
    }

    [Fact]
    public void Compare_OfARunWithoutEpochs_IsAUsageError()
    {
        string run = RunFixtures.WriteRun(_folder.File("runs/fresh"), [], reference: null);

        var result = CliRunner.Run("compare", run, "--out", _folder.File("compare.png"));

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("no finished epoch", result.Error);
    }

    private static Note[] TestSongsOf(params int[] pitches) => CrnnGan.Tests.Evaluation.TestSongs.Melody(pitches);
}
