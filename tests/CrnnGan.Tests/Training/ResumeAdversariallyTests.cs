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

    /// <summary>One pretrained run folder, copied, can go on adversarially with different losses; once it has
    /// trained adversarially they are the run's and stay.</summary>
    [Fact]
    public void GsAdversarialLossesChangeOnlyBeforeTheFirstAdversarialEpoch()
    {
        var baseline = TinyRuns.Config(epochs: 1, pretrainEpochs: 0).With("run.mode=baseline");
        string folder = TinyRuns.NewFolder();
        using (var pretraining = GanTrainer.Start(baseline, TinyRuns.Data(baseline), folder))
            pretraining.Run();
        var withMmd = baseline.Losses with { SongFeatureMmd = 1 };
        var pretrainingChanged = Assert.Throws<SettingException>(() => GanTrainer.Resume(folder, (c, scaling) => TinyRuns.Data(c, scaling), epochs: 2,
            mode: TrainingMode.Gan, losses: withMmd with { PretrainSamples = 2 })); // beside a loss that may change
        Assert.Equal("losses.pretrain_samples", pretrainingChanged.Key);
        using (var resumed = GanTrainer.Resume(folder, (c, scaling) => TinyRuns.Data(c, scaling), epochs: 2, mode: TrainingMode.Gan, losses: withMmd))
        {
            Assert.Equal(1, resumed.Config.Losses.SongFeatureMmd);
            resumed.Run();
            Assert.True(double.IsNaN(resumed.History[0].SongFeatureMmd));
            Assert.True(resumed.History[1].SongFeatureMmd > 0, "the adversarial epoch measures the MMD it was asked to add");
        }
        Assert.Contains("\"song_feature_mmd\": 1", File.ReadAllText(Path.Combine(folder, RunFolderLayout.ConfigFileName)));

        var error = Assert.Throws<SettingException>(() => GanTrainer.Resume(folder, (c, scaling) => TinyRuns.Data(c, scaling), epochs: 3,
            losses: withMmd with { SongFeatureMmd = 2 }));
        Assert.Equal("losses.song_feature_mmd", error.Key);
        var pretrainingLoss = Assert.Throws<SettingException>(() => GanTrainer.Resume(folder, (c, scaling) => TinyRuns.Data(c, scaling), epochs: 3,
            losses: withMmd with { PretrainSamples = 2 }));
        Assert.Equal("losses.pretrain_samples", pretrainingLoss.Key);
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
