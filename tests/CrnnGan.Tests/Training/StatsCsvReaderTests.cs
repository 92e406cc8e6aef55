using CrnnGan.Tests.Reports;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

public sealed class StatsCsvReaderTests
{
    [Fact]
    public void Read_GivesBackWhatStatsCsvWrote()
    {
        var history = RunFixtures.History();
        history[3] = history[3] with { FeatureMatchingLoss = 0.25, DiscriminatorFrozen = 3, GeneratorFrozen = 1, Phase = TrainingPhase.DiscriminatorPretraining };
        var overlaps = CrnnGan.Evaluation.SongSetEvaluation.PaperStatistics.Select((name, i) => (name, 0.9 - 0.1 * i)).ToDictionary();
        history[4] = history[4] with { ValidationOverlaps = overlaps };
        using var folder = new CrnnGan.Tests.Cli.TempFolder();
        string path = Path.Combine(folder.Path, RunFolderLayout.StatsFileName);
        StatsCsv.Write(path, history);

        var read = StatsCsvReader.Read(path);

        Assert.Equal(history.Count, read.Count);
        // StatsCsv keeps 6 significant digits, so what was read writes the same file again.
        Assert.Equal(history.Select(StatsCsv.Row), read.Select(StatsCsv.Row));
        Assert.Equal(TrainingPhase.DiscriminatorPretraining, read[3].Phase);
        Assert.Equal((0.25, 3, 1), (read[3].FeatureMatchingLoss, read[3].DiscriminatorFrozen, read[3].GeneratorFrozen));
        Assert.Equal(history[4].Statistics.OrderBy(s => s.Key), read[4].Statistics.OrderBy(s => s.Key));
        Assert.Equal(0.366667, read[2].ValidationMse);
        Assert.Equal(overlaps.OrderBy(o => o.Key), read[4].ValidationOverlaps.OrderBy(o => o.Key));
        Assert.Equal(0.4, read[4].WorstValidationOverlap, 6);
        Assert.Empty(read[3].ValidationOverlaps);
        Assert.True(double.IsNaN(read[3].WorstValidationOverlap));
    }

    [Fact]
    public void Parse_FindsColumnsByName_SoOlderFilesWithFewerColumnsRead()
    {
        const string text = "epoch,phase,g_loss,mean_tone_span\n1,pretraining,,3.5\n2,adversarial,0.7,\n";

        var records = StatsCsvReader.Parse(text);

        Assert.Equal(2, records.Count);
        Assert.Equal(TrainingPhase.Pretraining, records[0].Phase);
        Assert.True(double.IsNaN(records[0].GeneratorLoss));
        Assert.Equal(3.5, records[0].Statistics["tone_span"]);
        Assert.Equal(0.7, records[1].GeneratorLoss);
        Assert.Empty(records[1].Statistics);
        Assert.True(double.IsNaN(records[1].MseLoss));
    }

    [Theory]
    [InlineData("")]
    [InlineData("phase,g_loss\npretraining,1\n")]
    [InlineData("epoch,phase\n1,pretraining,extra\n")]
    [InlineData("epoch,phase\n1,warming_up\n")]
    [InlineData("epoch,phase,g_loss\n1,adversarial,lots\n")]
    public void Parse_RejectsWhatIsNotAStatsFile(string text) => Assert.Throws<FormatException>(() => StatsCsvReader.Parse(text));
}
