using CrnnGan.Reports;
using CrnnGan.Midi;
using CrnnGan.Training;

namespace CrnnGan.Tests.Reports;

public sealed class ChartTests
{
    [Fact]
    public void Figure3_OfARunWithItsReference_IsAPngOfTheAskedSize()
    {
        var run = new RunSeries("demo", RunFixtures.History(), RunFixtures.Reference());

        byte[] png = Figure3Chart.Render([run], "demo", 1200, 800);

        PngAssert.IsPng(png, 1200, 800);
        Assert.True(PngAssert.DistinctColors(png) > 50, "the chart looks blank");
    }

    [Fact]
    public void Figure3_DrawsOlderRunsWithoutReferenceAndRunsWithoutEpochs()
    {
        var older = new RunSeries("older", RunFixtures.History(), Reference: null);
        var fresh = new RunSeries("fresh", [], Reference: null);

        PngAssert.IsPng(Figure3Chart.Render([older], "older"), 1200, 800);
        PngAssert.IsPng(Figure3Chart.Render([fresh], "fresh", 600, 400), 600, 400);
    }

    [Fact]
    public void Figure3_OverlaysSeveralRuns()
    {
        var a = new RunSeries("a", RunFixtures.History(), RunFixtures.Reference());
        var b = new RunSeries("b", RunFixtures.History(adversarial: 5, firstSpan: 8), RunFixtures.Reference(toneSpan: 25));

        PngAssert.IsPng(Figure3Chart.Render([a, b], "a vs b"), 1200, 800);
    }

    [Fact]
    public void Losses_OfARun_AndOfABaselineWithoutAdversarialEpochs_ArePngs()
    {
        var gan = new RunSeries("gan", RunFixtures.History(), null);
        var baseline = new RunSeries("baseline", RunFixtures.History(adversarial: 0), null);

        PngAssert.IsPng(LossChart.Render(gan), 1200, 800);
        PngAssert.IsPng(LossChart.Render(baseline, 900, 600), 900, 600);
    }

    [Fact]
    public void Comparison_OfRunsAndRealMusic_IsAPng()
    {
        var history = RunFixtures.History();
        ComparedSeries[] series =
        [
            new("C-RNN-GAN", history[^1].Statistics, IsRealMusic: false),
            new("baseline", history[0].Statistics, IsRealMusic: false),
            new("real music", RunFixtures.Reference().Means, IsRealMusic: true),
        ];

        PngAssert.IsPng(ComparisonChart.Render(series, "comparison"), 1200, 800);
    }

    [Fact]
    public void PianoRoll_IsWiderForLongerSongs_UpToAMaximum_AndOfNoNotes_IsStillAPicture()
    {
        Note[] scale = [.. new[] { 60, 62, 64, 65, 67, 69, 71, 72 }.Select((p, i) => new Note(i * 384, 384, p, 40 + 10 * i))];
        Note[] longSong = [.. Enumerable.Range(0, 100).Select(i => new Note(i * 384, 384, 48 + i % 24, 90))];

        PngAssert.IsPng(PianoRollChart.Render("scale", scale, 384), 1000, PianoRollChart.DefaultHeight);
        PngAssert.IsPng(PianoRollChart.Render("long", longSong, 384), 2400, PianoRollChart.DefaultHeight);
        PngAssert.IsPng(PianoRollChart.Render("empty", [], 480), 1000, PianoRollChart.DefaultHeight);
    }

    [Theory]
    [InlineData(60, "C4")]
    [InlineData(21, "A0")]
    [InlineData(36, "C2")]
    [InlineData(61, "C#4")]
    [InlineData(127, "G9")]
    public void PitchNames_PutMiddleCAtC4(int pitch, string name) => Assert.Equal(name, PianoRollChart.PitchName(pitch));

    [Fact]
    public void RunPlots_WritesFigure3AndLossesWithThePrefix()
    {
        using var folder = new CrnnGan.Tests.Cli.TempFolder();
        var run = new RunSeries("demo", RunFixtures.History(), RunFixtures.Reference());

        var paths = RunPlots.Write(folder.Path, run, prefix: "demo-");

        Assert.Equal([Path.Combine(folder.Path, "demo-figure3.png"), Path.Combine(folder.Path, "demo-losses.png")], paths);
        Assert.All(paths, path => PngAssert.IsPng(path, 1200, 800));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Phases_EndOfPretraining_IsTheLastPretrainingEpochWhenAdversarialEpochsFollow()
    {
        Assert.Equal(2, InvokePretrainingEnd(RunFixtures.History()));
        Assert.Null(InvokePretrainingEnd(RunFixtures.History(adversarial: 0)));
    }

    private static int? InvokePretrainingEnd(IReadOnlyList<EpochRecord> records) => PhaseSpans.PretrainingEnd(records);
}
