using CrnnGan.Training;
using Xunit.Abstractions;

namespace CrnnGan.Tests.Training;

/// <summary>The demo preset, which <c>crnngan train</c> uses without --data: it learns the synthetic corpus visibly.</summary>
public class DemoPresetTests(ITestOutputHelper output)
{
    [Fact]
    public void TheDemoAtReducedSizeLearnsTheSyntheticCorpus()
    {
        // The demo's settings on fewer and shorter songs, fewer epochs and fewer songs measured per epoch; G's
        // average spans fewer steps to match (decay 0.995 averages over ~200 steps: 11 of these epochs, more than
        // the adversarial phase here).
        var config = Presets.Load(Presets.Demo).With("data.synthetic_songs=400", "data.length=32",
            "run.epochs=20", "run.pretrain_epochs=12", "run.validation_songs=60", "run.threads=1",
            "optimisation.average_decay=0.98");
        var data = TrainingCorpus.Load(config, scaling: null, report: _ => { });
        using var trainer = GanTrainer.Start(config, data, TinyRuns.NewFolder());

        trainer.Run();

        var overlaps = trainer.History.Select(h => h.ValidationOverlap).ToList();
        string seen = string.Join(", ", overlaps.Select(o => o.ToString("F3")));
        output.WriteLine($"overlap per epoch: {seen}");
        // The overlap with the validation songs: 0 = nothing like them, 1 = alike. G starts far from them.
        Assert.True(overlaps[0] < 0.3, $"overlap per epoch: {seen}");
        Assert.True(overlaps[^1] >= overlaps[0] + 0.15, $"overlap per epoch: {seen}");
    }
}
