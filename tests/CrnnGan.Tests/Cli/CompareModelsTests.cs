using System.Text.Json;
using CrnnGan.Cli;
using CrnnGan.Evaluation;
using CrnnGan.Generation;
using CrnnGan.Tests.Generation;
using CrnnGan.Tests.Reports;

namespace CrnnGan.Tests.Cli;

/// <summary>compare on model files: songs sampled by compare itself, against the real music kept beside the model.</summary>
public sealed class CompareModelsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Compare_OfAModelFile_MeasuresItsSongsAsGenerateWritesThem_AndFindsTheReferenceOfItsShape()
    {
        Directory.CreateDirectory(_folder.File("models"));
        string model = PrimeFixtures.ModelFile(_folder.File("models/tiny.bin"), tempoBpm: null);
        // Its own reference (of its song length, 16 events, one tone) is found; another model's beside it is not used.
        RunFixtures.Reference(toneSpan: 11, events: 16).Save(_folder.File("models/another.reference.json"));
        RunFixtures.Reference(toneSpan: 23, events: 16).Save(_folder.File("models/tiny.reference.json"));
        string json = _folder.File("compare.json");

        var result = CliRunner.Run("compare", model, "-n", "6", "-s", "4", "--json", json, "--out", _folder.File("compare.png"));

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains("sampling 6 songs from tiny", result.Output);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var run = Assert.Single(document.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("model", run.GetProperty("kind").GetString());
        Assert.Equal(16, run.GetProperty("events_per_song").GetInt32());
        var real = Assert.Single(document.RootElement.GetProperty("real").EnumerateArray());
        Assert.Equal(23.0, real.GetProperty("statistics").GetProperty("tone_span").GetDouble());

        using var loaded = TrainedModel.Load(model);
        var expected = StatisticsSummary.Summarize(loaded.Generate(6, 16, seed: 4).Select(s => SongStatistics.Compute(s.Notes)).OfType<SongStatistics>());
        foreach (string name in new[] { "tone_span", "polyphony", "unique_tones" })
            Assert.Equal(expected.Find(name)!.Mean, run.GetProperty("statistics").GetProperty(name).GetDouble(), 9);
    }

    [Fact]
    public void Compare_OfAnEpochsGenerator_UsesItsRunsReference()
    {
        Directory.CreateDirectory(_folder.File("run/generators"));
        string model = PrimeFixtures.ModelFile(_folder.File("run/generators/epoch-001.bin"), tempoBpm: null);
        RunFixtures.Reference(toneSpan: 31, events: 16).Save(_folder.File("run/reference_stats.json"));
        string json = _folder.File("compare.json");

        var result = CliRunner.Run("compare", model, "-n", "2", "--json", json, "--out", _folder.File("compare.png"));

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var real = Assert.Single(document.RootElement.GetProperty("real").EnumerateArray());
        Assert.Equal(31.0, real.GetProperty("statistics").GetProperty("tone_span").GetDouble());
    }

    [Fact]
    public void Compare_OfAModelWithoutReference_SaysHowToGetOne()
    {
        string model = PrimeFixtures.ModelFile(_folder.File("lonely.bin"), tempoBpm: null);

        var result = CliRunner.Run("compare", model, "-n", "2", "--out", _folder.File("compare.png"));

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains("no statistics of lonely's training music found", result.Output);
    }

    [Fact]
    public void Compare_Bundled_ShowsThePapersThreeModelsAgainstTheirTrainingMusic()
    {
        string json = _folder.File("bundled.json");

        var result = CliRunner.Run("compare", "--bundled", "-n", "3", "--json", json, "--out", _folder.File("compare.png"));

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var runs = document.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(BundledModels.All.Select(m => m.Name), runs.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal([1, 3, 1], runs.Select(r => r.GetProperty("tones_per_cell").GetInt32()));
        Assert.All(runs, r => Assert.True(r.GetProperty("statistics").GetProperty("num_tones").GetDouble() > 0));
        // One reference per shape: one tone per event (C-RNN-GAN and the baseline) and three (C-RNN-GAN-3).
        var real = document.RootElement.GetProperty("real").EnumerateArray().ToList();
        Assert.Equal([1, 3], real.Select(r => r.GetProperty("tones_per_cell").GetInt32()).Order());
    }

    [Fact]
    public void Compare_WithNothingToCompare_OrAMissingPath_IsAUsageError()
    {
        var none = CliRunner.Run("compare", "--out", _folder.File("compare.png"));
        var missing = CliRunner.Run("compare", _folder.File("nowhere.bin"), "--out", _folder.File("compare.png"));

        Assert.Equal(ExitCodes.BadUsage, none.ExitCode);
        Assert.Contains("--bundled", none.Error);
        Assert.Equal(ExitCodes.BadUsage, missing.ExitCode);
        Assert.Contains("nowhere.bin: no such run folder or model file", missing.Error);
    }
}
