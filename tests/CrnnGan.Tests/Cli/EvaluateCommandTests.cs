using System.Text.Json;
using CrnnGan.Midi;

namespace CrnnGan.Tests.Cli;

public class EvaluateCommandTests
{
    private static void WriteSongs(string folder, int count, int pitchSpread, int seed)
    {
        var random = new Random(seed);
        for (int s = 0; s < count; s++)
        {
            var notes = Enumerable.Range(0, 40).Select(i => new Note(i * 192L, 192, 60 + random.Next(pitchSpread), 40 + random.Next(60))).ToList();
            MidiFileWriter.Write(Path.Combine(folder, $"song{s:D2}.mid"), notes);
        }
    }

    [Fact]
    public void SongsLikeTheRealOnesOverlapFarMoreThanMonotoneOnes()
    {
        using var temp = new TempFolder();
        string real = Directory.CreateDirectory(Path.Combine(temp.Path, "real")).FullName;
        string alike = Directory.CreateDirectory(Path.Combine(temp.Path, "alike")).FullName;
        string monotone = Directory.CreateDirectory(Path.Combine(temp.Path, "monotone")).FullName;
        WriteSongs(real, 30, pitchSpread: 24, seed: 1);
        WriteSongs(alike, 30, pitchSpread: 24, seed: 2);
        WriteSongs(monotone, 30, pitchSpread: 1, seed: 3);

        var good = CliRunner.Run("evaluate", alike, "--real", real, "--length", "20", "--json", temp.File("good.json"), "--plot", Path.Combine(temp.Path, "plots"));
        var bad = CliRunner.Run("evaluate", monotone, "--real", real, "--length", "20", "--json", temp.File("bad.json"));

        Assert.Equal(0, good.ExitCode);
        Assert.Equal(0, bad.ExitCode);
        Assert.Contains("mean overlapping area over the paper's six statistics", good.Output);
        double goodOverlap = JsonDocument.Parse(File.ReadAllText(temp.File("good.json"))).RootElement.GetProperty("mean_paper_overlapping_area").GetDouble();
        double badOverlap = JsonDocument.Parse(File.ReadAllText(temp.File("bad.json"))).RootElement.GetProperty("mean_paper_overlapping_area").GetDouble();
        Assert.True(goodOverlap > 0.6, $"alike songs overlap {goodOverlap}");
        Assert.True(badOverlap < goodOverlap - 0.2, $"monotone {badOverlap} vs alike {goodOverlap}");

        var root = JsonDocument.Parse(File.ReadAllText(temp.File("good.json"))).RootElement;
        Assert.Equal(60, root.GetProperty("RealSegments").GetInt32()); // 30 songs x 2 windows of 20 events
        Assert.True(File.Exists(Path.Combine(temp.Path, "plots", "tone_span.png")));
    }

    [Fact]
    public void AMissingRealFolderIsBadUsage()
    {
        using var temp = new TempFolder();
        var result = CliRunner.Run("evaluate", temp.Path, "--real", Path.Combine(temp.Path, "nope"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such folder", result.Error);
    }
}
