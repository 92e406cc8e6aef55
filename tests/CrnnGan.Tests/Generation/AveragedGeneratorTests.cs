using CrnnGan.Generation;
using CrnnGan.IO;
using CrnnGan.Tests.Cli;
using CrnnGan.Tests.Training;
using CrnnGan.Training;

namespace CrnnGan.Tests.Generation;

[Collection(TorchCollection.Name)]
public class AveragedGeneratorTests
{
    private static string TrainKeepingEveryGenerator(int hidden = 16, int seed = 0)
    {
        var config = TinyRuns.Config(epochs: 4, pretrainEpochs: 1).With("run.keep_every_generator=true", $"model.hidden={hidden}", $"run.seed={seed}");
        string folder = TinyRuns.NewFolder();
        using var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder);
        trainer.Run();
        return folder;
    }

    private static Dictionary<string, float[]> WeightsOf(TrainedModel model) =>
        model.Generator.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().data<float>().ToArray());

    [Fact]
    public void TheAverageOfSeveralGsHoldsTheMeanOfEachOfTheirWeights()
    {
        string run = TrainKeepingEveryGenerator();
        var models = new[] { 2, 3, 4 }.Select(epoch => TrainedModel.Load(RunFolderLayout.EpochGeneratorPath(run, epoch))).ToList();
        try
        {
            using var average = TrainedModel.Average(models);
            var each = models.Select(WeightsOf).ToList();
            var mean = WeightsOf(average);
            Assert.Equal(each[0].Keys.Order(), mean.Keys.Order());
            foreach (var (name, values) in mean)
                for (int i = 0; i < values.Length; i++)
                    Assert.Equal((each[0][name][i] + each[1][name][i] + each[2][name][i]) / 3, values[i], 1e-5f);
            Assert.NotEqual(each[2]["_output.weight"], mean["_output.weight"]);
            Assert.Equal(4, average.EpochsTrained);
            Assert.Contains("epoch-002.bin", average.Provenance);

            using var one = TrainedModel.Average(models.Take(1).ToList());
            Assert.Equal(each[0]["_output.weight"], WeightsOf(one)["_output.weight"]);
            Assert.Equal(models[0].Generate(3, 12, seed: 2).Select(s => s.Events.Values), one.Generate(3, 12, seed: 2).Select(s => s.Events.Values));
        }
        finally
        {
            models.ForEach(m => m.Dispose());
        }
    }

    [Fact]
    public void GsOfOtherSettingsOrSeedsAreNotAveraged()
    {
        using var small = TrainedModel.Load(RunFolderLayout.EpochGeneratorPath(TrainKeepingEveryGenerator(hidden: 16), 4));
        using var large = TrainedModel.Load(RunFolderLayout.EpochGeneratorPath(TrainKeepingEveryGenerator(hidden: 24), 4));
        var error = Assert.Throws<CheckpointException>(() => TrainedModel.Average([small, large]));
        Assert.Contains("model settings differ", error.Message);
        Assert.Contains(small.CheckpointPath, error.Message);

        using var otherSeed = TrainedModel.Load(RunFolderLayout.EpochGeneratorPath(TrainKeepingEveryGenerator(hidden: 16, seed: 3), 4));
        var seedError = Assert.Throws<CheckpointException>(() => TrainedModel.Average([small, otherSeed]));
        Assert.Contains("trained from seed 0", seedError.Message);
        Assert.Contains(small.CheckpointPath, seedError.Message);
    }

    [Fact]
    public void ExportWritesTheAverageOfARunsEpochs()
    {
        string run = TrainKeepingEveryGenerator();
        using var temp = new TempFolder();
        string target = temp.File("average.bin");

        var result = CliRunner.Run("export", "--model", run, "--epochs", "2-4", "--out", target);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var models = new[] { 2, 3, 4 }.Select(epoch => TrainedModel.Load(RunFolderLayout.EpochGeneratorPath(run, epoch))).ToList();
        try
        {
            using var expected = TrainedModel.Average(models);
            using var written = TrainedModel.Load(target);
            Assert.Equal(WeightsOf(expected)["_output.weight"], WeightsOf(written)["_output.weight"]);
            Assert.Contains("the mean of the weights of 3 Gs", written.Provenance);
        }
        finally
        {
            models.ForEach(m => m.Dispose());
        }

        var tooFar = CliRunner.Run("export", "--model", run, "--epochs", "3-9", "--out", temp.File("far.bin"));
        Assert.Equal(2, tooFar.ExitCode);
        Assert.Contains("epoch-005.bin does not exist", tooFar.Error);
        var backwards = CliRunner.Run("export", "--model", run, "--epochs", "4-2", "--out", temp.File("back.bin"));
        Assert.Equal(2, backwards.ExitCode);
        Assert.Contains("--epochs 4-2", backwards.Error);
        Assert.False(File.Exists(temp.File("far.bin")));
    }
}
