using CrnnGan.Evaluation;
using CrnnGan.Runtime;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

/// <summary><c>run.keep_by=realism</c>: each epoch's songs face a classifier against the validation songs.</summary>
[Collection(TorchCollection.Name)]
public class KeepByRealismTests
{
    public KeepByRealismTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void TheKeptEpochIsTheOneTheClassifierFoundHardestToTell()
    {
        var config = TinyRuns.Config(epochs: 4, pretrainEpochs: 1).With("run.keep_by=realism");
        string folder = TinyRuns.NewFolder();
        using var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder);
        trainer.Run();

        Assert.All(trainer.History, r =>
        {
            Assert.InRange(r.ValidationRealism, 0, 1);
            Assert.InRange(r.ValidationFeatureOverlap, 0, 1);
        });
        var adversarial = trainer.History.Where(r => r.Phase == TrainingPhase.Adversarial).ToList();
        var best = adversarial.MinBy(r => (r.ValidationRealism, -r.ValidationFeatureOverlap))!;
        Assert.Equal(best.Epoch, trainer.BestEpoch!.Epoch);
        var read = StatsCsvReader.Read(Path.Combine(folder, RunFolderLayout.StatsFileName));
        Assert.Equal(best.ValidationRealism, read.Single(r => r.Epoch == best.Epoch).ValidationRealism, 5);
        Assert.Equal(best.ValidationFeatureOverlap, read.Single(r => r.Epoch == best.Epoch).ValidationFeatureOverlap, 5);
    }

    [Fact]
    public void OtherMeasuresLeaveTheClassifierOut()
    {
        var config = TinyRuns.Config(epochs: 2, pretrainEpochs: 1);
        using var trainer = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        trainer.Run();
        Assert.All(trainer.History, r => Assert.True(double.IsNaN(r.ValidationRealism)));
    }

    [Fact]
    public void AFewerErrorsEpochBeatsAnyOverlap()
    {
        var byRealism = new TrainingConfig { Run = new RunSettings { KeepBy = BestEpochMeasure.Realism } };
        var harder = new EpochRecord { ValidationRealism = 0.90, ValidationFeatureOverlap = 0.2 };
        var easier = new EpochRecord { ValidationRealism = 0.91, ValidationFeatureOverlap = 0.9 };
        var tie = new EpochRecord { ValidationRealism = 0.90, ValidationFeatureOverlap = 0.3 };
        Assert.True(byRealism.BestEpochScore(harder) > byRealism.BestEpochScore(easier));
        Assert.True(byRealism.BestEpochScore(tie) > byRealism.BestEpochScore(harder));
        Assert.True(double.IsNaN(byRealism.BestEpochScore(new EpochRecord())));
    }
}
