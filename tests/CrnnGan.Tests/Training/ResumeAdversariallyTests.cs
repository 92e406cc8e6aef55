using CrnnGan.Runtime;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

/// <summary>A baseline run (G pretrained alone) resumed with <c>run.mode=gan</c> goes on adversarially.</summary>
[Collection(TorchCollection.Name)]
public class ResumeAdversariallyTests
{
    public ResumeAdversariallyTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void ABaselineRunResumedAsGanGoesOnAdversariallyFromItsPretrainedG()
    {
        var baseline = TinyRuns.Config(epochs: 2, pretrainEpochs: 0).With("run.mode=baseline");
        string folder = TinyRuns.NewFolder();
        float[] pretrainedG, untrainedD;
        using (var pretraining = GanTrainer.Start(baseline, TinyRuns.Data(baseline), folder))
        {
            untrainedD = WeightsOf(pretraining.Discriminator);
            pretraining.Run();
            pretrainedG = WeightsOf(pretraining.Generator);
            Assert.Equal(untrainedD, WeightsOf(pretraining.Discriminator)); // the baseline never trains D
        }
        using var resumed = GanTrainer.Resume(folder, (c, scaling) => TinyRuns.Data(c, scaling), epochs: 3, mode: TrainingMode.Gan);
        Assert.Equal((TrainingMode.Gan, 2), (resumed.Config.Mode, resumed.Config.Run.PretrainEpochs));
        Assert.Equal(pretrainedG, WeightsOf(resumed.Generator));
        resumed.Run();

        Assert.Equal([TrainingPhase.Pretraining, TrainingPhase.Pretraining, TrainingPhase.Adversarial], resumed.History.Select(h => h.Phase));
        Assert.NotEqual(untrainedD, WeightsOf(resumed.Discriminator));
        Assert.NotEqual(pretrainedG, WeightsOf(resumed.Generator));
        Assert.Contains("\"mode\": \"gan\"", File.ReadAllText(Path.Combine(folder, RunFolderLayout.ConfigFileName)));
    }

    private static float[] WeightsOf(TorchSharp.torch.nn.Module module) =>
        module.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    [Theory]
    [InlineData(TrainingMode.Gan, 1, "run.pretrain_epochs")]      // two epochs were pretraining already
    [InlineData(TrainingMode.Baseline, null, "run.mode")]        // from a GAN run back to the baseline
    public void WhatTheEpochsDoneRuleOutIsRefusedByName(TrainingMode mode, int? pretrainEpochs, string key)
    {
        var config = TinyRuns.Config(epochs: 2, pretrainEpochs: 2).With(mode == TrainingMode.Gan ? "run.mode=baseline" : "run.mode=gan");
        string folder = TinyRuns.NewFolder();
        using (var first = GanTrainer.Start(config, TinyRuns.Data(config), folder))
            first.Run();
        var error = Assert.Throws<SettingException>(() =>
            GanTrainer.Resume(folder, (c, scaling) => TinyRuns.Data(c, scaling), epochs: 3, mode: mode, pretrainEpochs: pretrainEpochs));
        Assert.Equal(key, error.Key);
    }
}
