using System.Text.Json;
using CrnnGan.Cli;
using CrnnGan.Evaluation;
using CrnnGan.Midi;

namespace CrnnGan.Tests.Cli;

public sealed class StatsCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>melody.mid (5 notes), sub/chords.mid (6 notes), silent.mid (no notes), garbage.mid, empty.mid, notes.txt.</summary>
    private string MakeCorpus()
    {
        Note[] melody = [.. new[] { 60, 62, 64, 65, 67 }.Select((pitch, i) => new Note(i * 384, 384, pitch, 90))];
        Note[] chords = [.. new[] { 60, 64, 67, 62, 65, 69 }.Select((pitch, i) => new Note(i / 3 * 768, 768, pitch, 70 + i))];
        MidiFileWriter.Write(_folder.File("melody.mid"), melody);
        MidiFileWriter.Write(_folder.File("sub/chords.mid"), chords);
        MidiFileWriter.Write(_folder.File("silent.mid"), []);
        File.WriteAllText(_folder.File("garbage.mid"), "this is not a MIDI file at all");
        File.WriteAllBytes(_folder.File("empty.mid"), []);
        File.WriteAllText(_folder.File("notes.txt"), "not MIDI, not searched");
        return _folder.Path;
    }

    [Fact]
    public void Folder_WritesStatisticsOfEveryReadableFileToJson()
    {
        string corpus = MakeCorpus();
        string json = _folder.File("out/stats.json");
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);

        var result = CliRunner.Run("stats", corpus, "--json", json);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var root = document.RootElement;
        var files = root.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(3, files.Count);
        Assert.Equal(2, root.GetProperty("files_with_notes").GetInt32());

        var melody = files.Single(file => file.GetProperty("name").GetString() == "melody.mid");
        Assert.Equal(5, melody.GetProperty("statistics").GetProperty("num_tones").GetDouble());
        Assert.Equal("C major", melody.GetProperty("best_scale").GetString());
        var silent = files.Single(file => file.GetProperty("name").GetString() == "silent.mid");
        Assert.Equal(JsonValueKind.Null, silent.GetProperty("statistics").ValueKind);

        var summary = root.GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("song_count").GetInt32());
        Assert.Equal(5.5, summary.GetProperty("statistics").GetProperty("num_tones").GetProperty("mean").GetDouble());

        var unreadable = root.GetProperty("unreadable").EnumerateArray().ToList();
        Assert.Equal(["empty.mid", "garbage.mid"],
            unreadable.Select(file => Path.GetFileName(file.GetProperty("path").GetString()!)).Order());
        Assert.All(unreadable, file => Assert.False(string.IsNullOrWhiteSpace(file.GetProperty("reason").GetString())));
    }

    [Fact]
    public void Folder_PrintsTablesNoNotesUnreadableFilesAndCountLine()
    {
        string corpus = MakeCorpus();

        var result = CliRunner.Run("stats", corpus);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains(Path.Combine("sub", "chords.mid"), result.Output);
        Assert.Contains("no notes", result.Output);
        Assert.Contains("Summary over 2 songs with notes", result.Output);
        Assert.Contains("pitch_class_entropy", result.Output);
        Assert.Contains("Unreadable files (2)", result.Output);
        Assert.Contains("garbage.mid", result.Output);
        Assert.Contains("read 3 files (2 with notes) in ", result.Output);
        Assert.Contains("; 2 unreadable", result.Output);
        Assert.DoesNotContain("NaN", result.Output);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void Csv_HasPathEveryStatisticAndBestScale()
    {
        string corpus = MakeCorpus();
        string csv = _folder.File("stats.csv");

        var result = CliRunner.Run("stats", corpus, "--csv", csv);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        string[] lines = File.ReadAllLines(csv);
        string[] header = lines[0].Split(',');
        Assert.Equal("path", header[0]);
        Assert.Equal("best_scale", header[^1]);
        Assert.Equal(StatisticDefinitions.Names, header[1..^1]);
        Assert.Equal(1 + 3, lines.Length);
        string[] melody = lines.Single(line => line.Contains("melody.mid")).Split(',');
        Assert.Equal("5", melody[Array.IndexOf(header, "num_tones")]);
        Assert.Equal("C major", melody[^1]);
        Assert.Empty(Directory.GetFiles(_folder.Path, "*.tmp"));
    }

    [Fact]
    public void FilesAndFolders_CanBeMixedAndEachFileIsReadOnce()
    {
        string corpus = MakeCorpus();
        string melody = Path.Combine(corpus, "melody.mid");
        string csv = _folder.File("stats.csv");

        var result = CliRunner.Run("stats", melody, Path.Combine(corpus, "sub"), melody, "--csv", csv);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("read 2 files (2 with notes)", result.Output);
        Assert.Equal([melody, Path.Combine(corpus, "sub", "chords.mid")], File.ReadAllLines(csv)[1..].Select(line => line.Split(',')[0]));
    }

    [Fact]
    public void MaxRows_LimitsTheTableAndSaysHowManyMore()
    {
        string corpus = MakeCorpus();

        var result = CliRunner.Run("stats", corpus, "--max-rows", "1");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("and 2 more songs not shown", result.Output);
    }

    [Fact]
    public void MissingPath_IsBadUsageNamingThePath()
    {
        string missing = Path.Combine(_folder.Path, "no-such-folder");

        var result = CliRunner.Run("stats", missing);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains(missing, result.Error);
        Assert.Equal($"crnngan: error: {missing}: no such file or folder", result.Error.TrimEnd());
    }

    [Fact]
    public void FolderWithoutMidiFiles_Fails()
    {
        File.WriteAllText(_folder.File("readme.txt"), "no music here");

        var result = CliRunner.Run("stats", _folder.Path);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("no MIDI files", result.Error);
        Assert.Contains(_folder.Path, result.Error);
    }

    [Fact]
    public void OnlyUnreadableFiles_Fails()
    {
        File.WriteAllText(_folder.File("garbage.mid"), "not MIDI");
        File.WriteAllBytes(_folder.File("sub/empty.mid"), []);

        var result = CliRunner.Run("stats", _folder.Path);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("none of the 2 MIDI files could be read", result.Error);
        Assert.Contains("garbage.mid", result.Output);
    }

    [Theory]
    [InlineData("stats")]
    [InlineData("stats", "--demo", "some-folder")]
    [InlineData("stats", "--demo", "--max-rows", "-1")]
    [InlineData("stats", "--demo", "--max-rows", "many")]
    [InlineData("stats", "--demo", "--max-rows")]
    [InlineData("stats", "--demo", "--no-such-option")]
    [InlineData("stats", "some-folder", "--write-demo", "out")]
    [InlineData("no-such-command")]
    public void BadCommandLine_IsBadUsageWithErrorsOnStderr(params string[] args)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("error:", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void JsonIntoMissingFolder_IsBadUsage()
    {
        var result = CliRunner.Run("stats", "--demo", "--json", Path.Combine(_folder.Path, "missing", "stats.json"));

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("does not exist", result.Error);
    }

    [Fact]
    public void Demo_SummarisesTheSyntheticCorpus()
    {
        string json = _folder.File("demo.json");

        var result = CliRunner.Run("stats", "--demo", "--json", json);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("generated 20 songs (20 with notes)", result.Output);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("synthetic", document.RootElement.GetProperty("source").GetString());
        Assert.Equal(20, document.RootElement.GetProperty("files").GetArrayLength());
    }

    [Fact]
    public void WriteDemo_WritesMidiFilesWithTheSameStatistics()
    {
        string folder = _folder.File("demo");
        string demoCsv = _folder.File("demo.csv");
        string filesCsv = _folder.File("files.csv");

        Assert.Equal(ExitCodes.Success, CliRunner.Run("stats", "--demo", "--write-demo", folder, "--csv", demoCsv).ExitCode);
        Assert.Equal(20, Directory.GetFiles(folder, "*.mid").Length);
        Assert.Equal(ExitCodes.Success, CliRunner.Run("stats", folder, "--csv", filesCsv).ExitCode);

        static string[] StatisticColumns(string csv) => File.ReadAllLines(csv).Select(line => line[line.IndexOf(',')..]).ToArray();
        Assert.Equal(StatisticColumns(demoCsv), StatisticColumns(filesCsv));
    }

    [Fact]
    public void Help_Succeeds()
    {
        var result = CliRunner.Run("stats", "--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("--max-rows", result.Output);
    }

    public void Dispose() => _folder.Dispose();
}
