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

        Assert.Contains("classifier two-sample test: accuracy", good.Output);
        double goodAccuracy = root.GetProperty("classifier_two_sample_accuracy").GetDouble();
        double badAccuracy = JsonDocument.Parse(File.ReadAllText(temp.File("bad.json"))).RootElement.GetProperty("classifier_two_sample_accuracy").GetDouble();
        Assert.True(badAccuracy > 0.9 && goodAccuracy < badAccuracy - 0.2, $"monotone {badAccuracy} vs alike {goodAccuracy}");
        Assert.Contains(root.GetProperty("features").EnumerateArray(), f => f.GetProperty("Statistic").GetString() == "onset_on_16th_share");
    }

    [Fact]
    public void FeaturesCsvListsEverySongWithItsNameFeaturesAndTheClassifiersView()
    {
        using var temp = new TempFolder();
        string real = Directory.CreateDirectory(Path.Combine(temp.Path, "real")).FullName;
        string monotone = Directory.CreateDirectory(Path.Combine(temp.Path, "monotone")).FullName;
        WriteSongs(real, 30, pitchSpread: 24, seed: 1);
        WriteSongs(monotone, 30, pitchSpread: 1, seed: 3);
        WriteSongs(Directory.CreateDirectory(Path.Combine(real, "bach")).FullName, 1, pitchSpread: 24, seed: 5); // a second song00.mid

        var result = CliRunner.Run("evaluate", monotone, "--real", real, "--length", "20", "--features-csv", temp.File("songs.csv"));

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        string[] lines = File.ReadAllLines(temp.File("songs.csv"));
        string[] header = lines[0].Split(',');
        Assert.Equal(["side", "song", "segment", "classifier_generated"], header[..4]);
        Assert.Equal(CrnnGan.Evaluation.MusicalFeatures.Definitions.Select(d => d.Name), header[4..]);
        var rows = lines[1..].Select(l => l.Split(',')).ToList();
        Assert.Equal(30 + 62, rows.Count); // 30 songs, 31 real songs of 2 windows each
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        var generated = rows.Where(r => r[0] == "generated").ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"song{i:D2}.mid").Order(), generated.Select(r => r[1]).Order());
        Assert.All(generated, r => Assert.True(double.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture) > 0.5, $"{r[1]}: {r[3]}"));
        Assert.Contains(rows, r => r[0] == "real" && r[1] == "song00.mid" && r[2] == "2");
        Assert.Contains(rows, r => r[0] == "real" && r[1] == "bach/song00.mid" && r[2] == "1");
        Assert.Contains(rows, r => r[0] == "real" && r[2] == "2" && r[3] == ""); // a song's second segment: not in the test
        int tonesAt = Array.IndexOf(header, "unique_tone_share");
        Assert.All(generated, r => Assert.True(double.Parse(r[tonesAt], System.Globalization.CultureInfo.InvariantCulture) <= 0.05));

        var refused = CliRunner.Run("evaluate", monotone, "--real", real, "--features-csv", Path.Combine(temp.Path, "no", "such", "x.csv"));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--features-csv", refused.Error);
    }

    [Fact]
    public void ARunIsMeasuredAgainstItsTestSplitOrOnRequestItsValidationSplit()
    {
        using var temp = new TempFolder();
        string corpus = Directory.CreateDirectory(Path.Combine(temp.Path, "corpus")).FullName;
        WriteSongs(corpus, 30, pitchSpread: 24, seed: 4);
        string run = Path.Combine(temp.Path, "run");
        var train = CliRunner.Run("train", "--data", corpus, "--out", run, "--hidden", "8", "--length", "16", "--epochs", "1",
            "--pretrain-epochs", "1", "--set", "data.validation_fraction=0.2", "--set", "data.test_fraction=0.1", "--threads", "1");
        Assert.True(train.ExitCode == 0, train.Output + train.Error);

        var test = CliRunner.Run("evaluate", run, "--real", corpus, "--count", "5");
        var validation = CliRunner.Run("evaluate", run, "--real", corpus, "--count", "5", "--split", "validation");
        var wrong = CliRunner.Run("evaluate", run, "--real", corpus, "--split", "train");

        Assert.Equal(0, test.ExitCode);
        Assert.Contains("the test split of", test.Output);
        Assert.Contains("(3 songs, never trained on)", test.Output);
        Assert.Equal(0, validation.ExitCode);
        Assert.Contains("the validation split of", validation.Output);
        Assert.Contains("(6 songs, never trained on)", validation.Output);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("--split must be test or validation, got 'train'", wrong.Error);
    }

    [Fact]
    public void RunsOfOtherSeedsShareTheSplitOfTheirSplitSeed()
    {
        using var temp = new TempFolder();
        string corpus = Directory.CreateDirectory(Path.Combine(temp.Path, "corpus")).FullName;
        WriteSongs(corpus, 30, pitchSpread: 24, seed: 5);

        double TestSongsMeanSpan(string name, params string[] seeds)
        {
            string run = Path.Combine(temp.Path, name);
            var train = CliRunner.Run(["train", "--data", corpus, "--out", run, "--hidden", "8", "--length", "16", "--epochs", "1",
                "--pretrain-epochs", "1", "--set", "run.validation_songs=5", "--threads", "1", .. seeds]);
            Assert.True(train.ExitCode == 0, train.Output + train.Error);
            var evaluate = CliRunner.Run("evaluate", run, "--real", corpus, "--count", "5", "--json", temp.File(name + ".json"));
            Assert.True(evaluate.ExitCode == 0, evaluate.Output + evaluate.Error);
            return JsonDocument.Parse(File.ReadAllText(temp.File(name + ".json"))).RootElement.GetProperty("statistics").EnumerateArray()
                .Single(s => s.GetProperty("Statistic").GetString() == "tone_span").GetProperty("RealMean").GetDouble();
        }

        double seed0 = TestSongsMeanSpan("seed0", "--seed", "0");
        double seed3 = TestSongsMeanSpan("seed3", "--seed", "3");
        double seed3Split0 = TestSongsMeanSpan("seed3-split0", "--seed", "3", "--set", "data.split_seed=0");
        Assert.Equal(seed0, seed3Split0);
        Assert.NotEqual(seed0, seed3);
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
