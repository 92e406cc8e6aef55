using CrnnGan.Evaluation;
using static CrnnGan.Tests.Evaluation.TestSongs;

namespace CrnnGan.Tests.Evaluation;

public class StatisticsSummaryTests
{
    [Fact]
    public void DefinitionNames_AreTheDocumentedOrderedList()
    {
        string[] expected =
        [
            "num_tones", "tone_min", "tone_max", "tone_span", "unique_tones", "scale_consistency", "polyphony",
            "repetitions_2", "repetitions_3", "repetitions_4", "repetitions_5", "repetitions_6", "repetitions_7",
            "repetitions_8", "repetitions_9", "intensity_min", "intensity_max", "intensity_span", "pitch_class_entropy",
        ];
        Assert.Equal(expected, StatisticDefinitions.Names);
        Assert.Equal("tone_span", StatisticDefinitions.Find("tone_span")!.Name);
        Assert.Null(StatisticDefinitions.Find("no_such_statistic"));
    }

    [Fact]
    public void Summarize_KnownSet()
    {
        // Songs of 1, 3, 5 and 7 notes of a repeated C: num_tones = {1,3,5,7}.
        // Mean 4, median (3+5)/2 = 4, population variance (9+1+1+9)/4 = 5 → std √5, min 1, max 7.
        // tone_min is 60 in every song → mean 60, std 0.
        var songs = new[] { 1, 3, 5, 7 }
            .Select(count => SongStatistics.Compute(Melody(Enumerable.Repeat(60, count).ToArray()))!);

        var summary = StatisticsSummary.Summarize(songs);

        Assert.Equal(4, summary.SongCount);
        Assert.Equal(StatisticDefinitions.Names, summary.Statistics.Select(s => s.Name));
        var numTones = summary.Find("num_tones")!;
        Assert.Equal(4, numTones.Count);
        Assert.Equal(4.0, numTones.Mean, 12);
        Assert.Equal(4.0, numTones.Median, 12);
        Assert.Equal(Math.Sqrt(5), numTones.StandardDeviation, 12);
        Assert.Equal(1.0, numTones.Min);
        Assert.Equal(7.0, numTones.Max);

        var toneMin = summary.Find("tone_min")!;
        Assert.Equal(60.0, toneMin.Mean);
        Assert.Equal(0.0, toneMin.StandardDeviation);
    }

    [Fact]
    public void StatisticSummary_OddCountMedianIsMiddleValue()
    {
        // {3, 1, 2}: sorted 1 2 3 → median 2, mean 2, population variance (1+0+1)/3 = 2/3.
        var summary = StatisticSummary.Of("x", [3.0, 1.0, 2.0]);

        Assert.Equal(2.0, summary.Median);
        Assert.Equal(2.0, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(2.0 / 3.0), summary.StandardDeviation, 12);
    }

    [Fact]
    public void Summarize_SingleSong_HasZeroStandardDeviation()
    {
        var summary = StatisticsSummary.Summarize([SongStatistics.Compute(Melody(60, 64, 67))!]);

        Assert.All(summary.Statistics, s =>
        {
            Assert.Equal(1, s.Count);
            Assert.Equal(0.0, s.StandardDeviation);
            Assert.Equal(s.Mean, s.Median);
        });
    }

    [Fact]
    public void Summarize_EmptySet_IsEmptyWithoutNaN()
    {
        var summary = StatisticsSummary.Summarize([]);

        Assert.True(summary.IsEmpty);
        Assert.Equal(0, summary.SongCount);
        Assert.Empty(summary.Statistics);
        Assert.Null(summary.Find("num_tones"));
    }
}
