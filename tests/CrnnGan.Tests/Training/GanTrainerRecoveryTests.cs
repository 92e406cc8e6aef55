using CrnnGan.IO;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Training;

/// <summary>The trainer when things go wrong: checkpoints that do not fit, a run started twice, NaN losses.</summary>
[Collection(TorchCollection.Name)]
public class GanTrainerRecoveryTests
{
    [Fact]
    public void ACheckpointOfAnotherLayoutOrATruncatedOneIsRefusedClearly()
    {
        var config = TinyRuns.Config(epochs: 1, pretrainEpochs: 1);
        string folder = TinyRuns.NewFolder();
        using (var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder))
            trainer.Run();
        string checkpoint = Path.Combine(folder, TrainingCheckpoint.FileName);

        using var bigger = new CrnnGan.Model.Generator((config.Model with { Hidden = 24 }).Networks);
        var wrongLayout = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.LoadWeights(checkpoint, bigger, null, null, null));
        Assert.Contains("hidden 16", wrongLayout.Message);

        string truncated = Path.Combine(folder, "truncated.bin");
        byte[] bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        using var same = new CrnnGan.Model.Generator(config.Networks);
        var cut = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.LoadWeights(truncated, same, new CrnnGan.Model.Discriminator(config.Networks), null, null));
        Assert.Contains(truncated, cut.Message);

        File.WriteAllText(truncated, "not a checkpoint");
        Assert.Contains("not a crnngan checkpoint", Assert.Throws<CheckpointException>(() => TrainingCheckpoint.ReadHeader(truncated)).Message);
    }

    [Fact]
    public void StartingOverAnExistingRunIsRefused()
    {
        var config = TinyRuns.Config(epochs: 1, pretrainEpochs: 1);
        string folder = TinyRuns.NewFolder();
        using (var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder))
            trainer.Run();
        Assert.Throws<InvalidOperationException>(() => GanTrainer.Start(config, TinyRuns.Data(config), folder));
    }

    [Fact]
    public void ANaNRollsBackToTheLastCheckpointHalvesTheLearningRateAndGoesOn()
    {
        var config = TinyRuns.Config(epochs: 2, pretrainEpochs: 1);
        using var trainer = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        bool injected = false;
        trainer.InjectNaN = (epoch, batch) =>
        {
            if (epoch != 1 || batch != 2 || injected) return false;
            injected = true;
            return true;
        };
        var rollbacks = new List<string>();
        trainer.RolledBack += rollbacks.Add;

        Assert.Equal(TrainingOutcome.Completed, trainer.Run());

        string message = Assert.Single(rollbacks);
        Assert.Contains("NaN in epoch 2, batch 3", message);
        Assert.Contains("rolled back to the checkpoint of epoch 1", message);
        Assert.Equal(new[] { 1, 2 }, trainer.History.Select(h => h.Epoch));
        Assert.Equal(config.Optimisation.LearningRate, trainer.History[0].LearningRate);
        Assert.Equal(config.Optimisation.LearningRate / 2, trainer.History[1].LearningRate);
        Assert.Equal(0.5, TrainingCheckpoint.ReadHeader(trainer.CheckpointPath).LearningRateScale);
    }

    [Fact]
    public void ANaNThatKeepsComingBackStopsTheRunAndKeepsTheLastGoodWeights()
    {
        var config = TinyRuns.Config(epochs: 1, pretrainEpochs: 1);
        string folder = TinyRuns.NewFolder();
        using (var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder))
            trainer.Run();
        string checkpoint = Path.Combine(folder, TrainingCheckpoint.FileName);
        using var good = new CrnnGan.Model.Generator(config.Networks);
        TrainingCheckpoint.LoadWeights(checkpoint, good, null, null, null);

        using var poisoned = GanTrainer.Resume(folder, (c, scaling) =>
        {
            var data = TinyRuns.Data(c, scaling);
            foreach (float[] song in data.Train) Array.Fill(song, float.NaN);
            return data;
        }, epochs: 2);
        var error = Assert.Throws<TrainingDivergedException>(() => poisoned.Run());

        Assert.Contains("NaN", error.Message);
        Assert.Contains("after 3 rollbacks", error.Message);
        Assert.Contains(checkpoint, error.Message);
        var header = TrainingCheckpoint.ReadHeader(checkpoint);
        Assert.Equal((1, 3, 0.125), (header.Epoch, header.Rollbacks, header.LearningRateScale));
        using var kept = new CrnnGan.Model.Generator(config.Networks);
        TrainingCheckpoint.LoadWeights(checkpoint, kept, null, null, null);
        var goodWeights = good.state_dict();
        Assert.All(kept.state_dict(), kv => Assert.True(torch.eq(kv.Value, goodWeights[kv.Key]).all().item<bool>()));
    }
}
