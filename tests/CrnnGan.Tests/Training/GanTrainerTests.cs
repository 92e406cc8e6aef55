using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Midi;
using CrnnGan.Model;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Training;

[Collection(TorchCollection.Name)]
public class GanTrainerTests
{
    [Fact]
    public void PretrainingOnTheSyntheticCorpusHalvesTheValidationMse()
    {
        var config = TinyRuns.Config().With("run.mode=baseline", "model.hidden=32", "data.length=32", "optimisation.batch=10", "run.epochs=20",
            "optimisation.adam=true", "optimisation.learning_rate=0.003", "optimisation.l2=0");
        var songs = SyntheticCorpus.Generate(120, seed: 1);
        var data = TrainingData.FromSongs("synthetic", songs.Take(100).ToList(), songs.Skip(100).ToList(), 1, config.Length);
        using var trainer = GanTrainer.Start(config, data, TinyRuns.NewFolder());
        double before = trainer.ValidationMse();

        trainer.Run();

        Assert.Equal(200, trainer.History.Sum(h => h.Batches));
        double after = trainer.History[^1].ValidationMse;
        Assert.True(after <= before / 2, $"validation MSE went from {before} to {after}");
        // And G guesses more of the melody's next pitches.
        var nextPitch = trainer.History.Select(h => h.ValidationNextPitch).ToList();
        Assert.All(nextPitch, share => Assert.InRange(share, 0.0, 1.0));
        Assert.True(nextPitch.TakeLast(5).Max() >= 2 * nextPitch[0], $"next pitch guessed: {string.Join(", ", nextPitch.Select(p => p.ToString("F3")))}");
    }

    [Fact]
    public void TheSameSeedGivesBitIdenticalWeights()
    {
        var config = TinyRuns.Config();
        using var first = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        first.Run();
        using var second = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        second.Run();

        AssertSameWeights(first, second);
        Assert.Equal(StatsCsv.Row(first.History[^1]).Split(',')[..14], StatsCsv.Row(second.History[^1]).Split(',')[..14]);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.9, 2.0)]
    public void OnTwoThreadsTheStepGivesBitIdenticalWeightsToOneThread(double averageDecay, double songMoments)
    {
        // All epochs adversarial: on two threads every pass of the step runs on one core of its own, so the arithmetic
        // is one thread's, and only a race (D's step before G's pass through D, a random number drawn out of order)
        // could tell the two apart.
        var config = TinyRuns.Config(epochs: 2, pretrainEpochs: 0).With($"optimisation.average_decay={averageDecay}",
            $"model.d_song_moments={songMoments}", "model.dropout=0.5", "model.d_input_dropout=0.5");
        using var one = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        one.Run();
        using var two = GanTrainer.Start(config.With("run.threads=2"), TinyRuns.Data(config), TinyRuns.NewFolder());
        two.Run();

        Assert.True(two.History.All(h => h.Phase == TrainingPhase.Adversarial && h.DiscriminatorFrozen + h.GeneratorFrozen < h.Batches));
        AssertSameWeights(one, two);
        Assert.Equal(WeightsOf(one.SampledGenerator), WeightsOf(two.SampledGenerator));
        Assert.Equal(one.History.Select(h => (h.GeneratorLoss, h.DiscriminatorLoss, h.FeatureMatchingLoss)),
            two.History.Select(h => (h.GeneratorLoss, h.DiscriminatorLoss, h.FeatureMatchingLoss)));
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(0.9, 1)]
    [InlineData(0.9, 2)]
    public void ResumingAfterAnEpochGivesTheSameWeightsAsTrainingStraight(double averageDecay, int threads)
    {
        var config = TinyRuns.Config(epochs: 3, pretrainEpochs: 1).With($"optimisation.average_decay={averageDecay}", $"run.threads={threads}");
        using var straight = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        straight.Run();

        var (folder, trainer) = StoppedAfterTwoEpochsAndResumed(config);
        using var resumed = trainer;
        Assert.Equal(2, resumed.EpochsDone);
        resumed.Run();

        AssertSameWeights(straight, resumed);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, RunFolderLayout.StatsFileName)).Length - 1);

        // With averaging, the average resumes exactly too, and it is what the run generates from.
        var sampled = WeightsOf(straight.SampledGenerator);
        Assert.Equal(sampled, WeightsOf(resumed.SampledGenerator));
        Assert.Equal(averageDecay > 0, !sampled.SequenceEqual(WeightsOf(straight.Generator)));
        using var model = CrnnGan.Generation.TrainedModel.Load(folder);
        Assert.Equal(sampled, WeightsOf(model.Generator));
    }

    /// <summary>A run of <paramref name="config"/> stopped after two epochs and resumed to three, not yet run on: its folder and its trainer.</summary>
    private static (string Folder, GanTrainer Resumed) StoppedAfterTwoEpochsAndResumed(TrainingConfig config)
    {
        string folder = TinyRuns.NewFolder();
        using (var firstPart = GanTrainer.Start(config.With("run.epochs=2"), TinyRuns.Data(config), folder))
            firstPart.Run();
        return (folder, GanTrainer.Resume(folder, (c, scaling) => TinyRuns.Data(c, scaling), epochs: 3));
    }

    [Fact]
    public void WithSongVelocityGTrainsItsLevelAndSpreadAndARunResumesExactly()
    {
        var config = TinyRuns.Config(epochs: 3, pretrainEpochs: 1).With("model.song_noise=3", "model.song_velocity=true", "losses.fm_means=true");
        using var straight = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        var head = straight.Generator.named_parameters().Single(p => p.name == "_songVelocity.weight").parameter;
        var before = head.data<float>().ToArray();
        straight.Run();
        Assert.NotEqual(before, head.data<float>().ToArray());

        using var resumed = StoppedAfterTwoEpochsAndResumed(config).Resumed;
        Assert.True(resumed.Config.Model.SongVelocity);
        resumed.Run();
        AssertSameWeights(straight, resumed);
    }

    [Fact]
    public void WithSongTraitsARunResumesExactlyWithItsTable()
    {
        var config = TinyRuns.Config(epochs: 3, pretrainEpochs: 1).With("model.song_traits=true");
        using var straight = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        straight.Run();
        using var resumed = StoppedAfterTwoEpochsAndResumed(config).Resumed;
        resumed.Run();
        AssertSameWeights(straight, resumed);
        float[] Table(GanTrainer t) => t.Generator.named_buffers().Single(b => b.name == "song_traits").buffer.data<float>().ToArray();
        Assert.Equal(Table(straight), Table(resumed));
        Assert.Contains(Table(resumed), v => v != 0 && v != 1);
    }

    [Fact]
    public void WithAFixedVelocitySpreadOnlyTheLevelLearns()
    {
        var config = TinyRuns.Config(epochs: 3, pretrainEpochs: 1).With("model.song_noise=3", "model.song_velocity=true", "model.fixed_velocity_spread=true", "losses.fm_means=true");
        using var trainer = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        var head = trainer.Generator.named_parameters().Where(p => p.name.StartsWith("_songVelocity.")).ToDictionary(p => p.name, p => p.parameter);
        var weight = head["_songVelocity.weight"].data<float>().ToArray();
        var bias = head["_songVelocity.bias"].data<float>().ToArray();
        trainer.Run();
        var weightAfter = head["_songVelocity.weight"].data<float>().ToArray();
        var biasAfter = head["_songVelocity.bias"].data<float>().ToArray();
        Assert.Equal(weight[3..], weightAfter[3..]); // the spread's row
        Assert.Equal(bias[1], biasAfter[1]);
        Assert.NotEqual(weight[..3], weightAfter[..3]); // the level's row
        Assert.Throws<ArgumentException>(() => (config.Model with { SongVelocity = false }).Networks.Validate());
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(2, 1)]
    public void WithSongMomentsOrLagsDTrainsOnThemAndARunResumesExactly(double moments, double lags)
    {
        var config = TinyRuns.Config(epochs: 3, pretrainEpochs: 1).With("losses.fm_means=true", "losses.fm_spread=1",
            $"model.d_song_moments={moments}", $"model.d_song_lags={lags}");
        int songValues = 2 * 4 + (lags > 0 ? ModelConfig.SongLagCount * 4 : 0);
        using var straight = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        var classifier = straight.Discriminator.named_parameters().Single(p => p.name == "_classifier.weight").parameter;
        Assert.Equal(new long[] { 1, 2 * 16 + songValues }, classifier.shape);
        var classifierBefore = classifier.data<float>().ToArray();
        straight.Run();
        Assert.All(straight.History.Skip(1), h => Assert.True(double.IsFinite(h.FeatureMatchingLoss) && double.IsFinite(h.DiscriminatorLoss)));
        Assert.NotEqual(classifierBefore[^songValues..], classifier.data<float>().ToArray()[^songValues..]);
        if (lags > 0) // lags 1 and 2 (lag 16 is as long as the tiny runs' songs, so always 0)
        {
            var lagBlock = new Range(^(ModelConfig.SongLagCount * 4), ^((ModelConfig.SongLagCount - 2) * 4));
            Assert.NotEqual(classifierBefore[lagBlock], classifier.data<float>().ToArray()[lagBlock]);
        }

        using var resumed = StoppedAfterTwoEpochsAndResumed(config).Resumed;
        Assert.Equal((moments, lags), (resumed.Config.Model.DiscriminatorSongMoments, resumed.Config.Model.DiscriminatorSongLags));
        resumed.Run();
        AssertSameWeights(straight, resumed);
    }

    [Fact]
    public void AnInterruptedRunResumesMidEpochExactly()
    {
        var config = TinyRuns.Config(epochs: 2, pretrainEpochs: 1);
        using var straight = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        straight.Run();

        string folder = TinyRuns.NewFolder();
        using var cancel = new CancellationTokenSource();
        var stopAfterTwoAdversarialBatches = new SynchronousProgress(p =>
        {
            if (p.Phase == TrainingPhase.Adversarial && p.Batch == 2) cancel.Cancel();
        });
        using (var interrupted = GanTrainer.Start(config, TinyRuns.Data(config), folder))
            Assert.Equal(TrainingOutcome.Interrupted, interrupted.Run(stopAfterTwoAdversarialBatches, cancel.Token));

        var header = TrainingCheckpoint.ReadHeader(Path.Combine(folder, TrainingCheckpoint.FileName));
        Assert.Equal((1, 2), (header.Epoch, header.BatchInEpoch));
        using var resumed = GanTrainer.Resume(folder, (c, scaling) => TinyRuns.Data(c, scaling));
        Assert.Equal(TrainingOutcome.Completed, resumed.Run());
        AssertSameWeights(straight, resumed);
    }

    [Fact]
    public void AdversarialEpochsLogLossesFreezesStatisticsAndSamples()
    {
        var config = TinyRuns.Config(epochs: 2, pretrainEpochs: 1);
        string folder = TinyRuns.NewFolder();
        using var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder);
        trainer.Run();

        var adversarial = trainer.History[1];
        Assert.Equal(TrainingPhase.Adversarial, adversarial.Phase);
        Assert.True(double.IsFinite(adversarial.DiscriminatorLoss) && double.IsFinite(adversarial.GeneratorLoss));
        Assert.True(double.IsFinite(adversarial.FeatureMatchingLoss));
        Assert.InRange(adversarial.DiscriminatorFrozen + adversarial.GeneratorFrozen, 0, 2 * adversarial.Batches);
        Assert.Equal(StatisticDefinitions.Names.Count, adversarial.Statistics.Count);

        string[] csv = File.ReadAllLines(Path.Combine(folder, RunFolderLayout.StatsFileName));
        Assert.Equal(StatsCsv.Header, csv[0]);
        Assert.StartsWith("1,pretraining,", csv[1]);
        Assert.StartsWith("2,adversarial,", csv[2]);

        foreach (string sample in Directory.GetFiles(Path.Combine(folder, RunFolderLayout.SamplesFolderName), "*.mid"))
        {
            var song = MidiFileReader.Read(sample);
            Assert.Equal(384, song.TicksPerQuarter);
            Assert.All(song.Notes, n =>
            {
                Assert.InRange(n.Pitch, 0, 127);
                Assert.InRange(n.Velocity, 1, 127);
                Assert.True(n.LengthTicks > 0);
            });
        }
    }

    [Fact]
    public void TheBestAdversarialEpochByValidationOverlapIsKeptAsAGeneratorFile()
    {
        var config = TinyRuns.Config(epochs: 4, pretrainEpochs: 1);
        string folder = TinyRuns.NewFolder();
        using var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder);
        trainer.Run();

        var adversarial = trainer.History.Where(r => r.Phase == TrainingPhase.Adversarial).ToList();
        Assert.Equal(3, adversarial.Count);
        Assert.All(trainer.History, r => Assert.InRange(r.ValidationOverlap, 0.0, 1.0));
        var best = adversarial.MaxBy(r => r.ValidationOverlap)!;
        Assert.Equal(best, trainer.BestEpoch);

        // The file holds G as it was after that epoch: it measures as the epoch did, not as the last one does.
        using var model = CrnnGan.Generation.TrainedModel.Load(trainer.BestGeneratorPath);
        Assert.Equal(best.Epoch, model.EpochsTrained);
        var read = StatsCsvReader.Read(Path.Combine(folder, RunFolderLayout.StatsFileName));
        Assert.All(trainer.History.Zip(read), pair => Assert.Equal(pair.First.ValidationOverlap, pair.Second.ValidationOverlap, 1e-5));
        if (best.Epoch != trainer.History[^1].Epoch)
            Assert.NotEqual(WeightsOf(trainer.Generator), WeightsOf(model.Generator));
        else
            Assert.Equal(WeightsOf(trainer.Generator), WeightsOf(model.Generator));
    }

    [Fact]
    public void KeepingEveryGeneratorKeepsEachAdversarialEpochsGAsItWasThen()
    {
        var config = TinyRuns.Config(epochs: 4, pretrainEpochs: 1).With("run.keep_every_generator=true");
        string folder = TinyRuns.NewFolder();
        using var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder);
        trainer.Run();

        Assert.False(File.Exists(trainer.EpochGeneratorPath(1)), "pretraining epochs do not compete");
        var kept = Enumerable.Range(2, 3).Select(epoch => CrnnGan.Generation.TrainedModel.Load(trainer.EpochGeneratorPath(epoch))).ToList();
        try
        {
            Assert.Equal(new[] { 2, 3, 4 }, kept.Select(m => m.EpochsTrained));
            Assert.Equal(WeightsOf(trainer.Generator), WeightsOf(kept[^1].Generator));
            Assert.NotEqual(WeightsOf(kept[0].Generator), WeightsOf(kept[1].Generator));
            using var best = CrnnGan.Generation.TrainedModel.Load(trainer.BestGeneratorPath);
            Assert.Equal(WeightsOf(best.Generator), WeightsOf(kept[best.EpochsTrained - 2].Generator));
        }
        finally
        {
            kept.ForEach(m => m.Dispose());
        }
    }

    [Fact]
    public void KeptByTheWorstStatisticTheBestEpochIsTheOneWhoseLowestOverlapIsHighest()
    {
        var config = TinyRuns.Config(epochs: 4, pretrainEpochs: 1).With("run.keep_by=worst");
        string folder = TinyRuns.NewFolder();
        using var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder);
        trainer.Run();

        Assert.All(trainer.History, r =>
        {
            Assert.Equal(SongSetEvaluation.PaperStatistics.Order(), r.ValidationOverlaps.Keys.Order());
            Assert.Equal(r.ValidationOverlaps.Values.Average(), r.ValidationOverlap, 12);
        });
        var best = trainer.History.Where(r => r.Phase == TrainingPhase.Adversarial).MaxBy(r => r.WorstValidationOverlap)!;
        Assert.Equal(best, trainer.BestEpoch);
        using var model = CrnnGan.Generation.TrainedModel.Load(trainer.BestGeneratorPath);
        Assert.Equal(best.Epoch, model.EpochsTrained);
        var read = StatsCsvReader.Read(Path.Combine(folder, RunFolderLayout.StatsFileName));
        Assert.Equal(best.WorstValidationOverlap, read.Single(r => r.Epoch == best.Epoch).WorstValidationOverlap, 5);
    }

    [Fact]
    public void TheMeanAndTheWorstMeasureRankEpochsDifferently()
    {
        var even = new EpochRecord { ValidationOverlaps = SongSetEvaluation.PaperStatistics.ToDictionary(n => n, _ => 0.6) };
        var uneven = new EpochRecord { ValidationOverlaps = SongSetEvaluation.PaperStatistics.Select((n, i) => (n, i == 0 ? 0.3 : 0.9)).ToDictionary() };
        even = even with { ValidationOverlap = 0.6 };
        uneven = uneven with { ValidationOverlap = (0.3 + 5 * 0.9) / 6 };
        var byMean = new TrainingConfig { Run = new RunSettings { KeepBy = BestEpochMeasure.Mean } };
        var byWorst = new TrainingConfig { Run = new RunSettings { KeepBy = BestEpochMeasure.Worst } };

        Assert.True(byMean.BestEpochScore(uneven) > byMean.BestEpochScore(even));
        Assert.True(byWorst.BestEpochScore(even) > byWorst.BestEpochScore(uneven));
        Assert.True(double.IsNaN(byWorst.BestEpochScore(new EpochRecord { ValidationOverlap = 0.5 })), "a run older than per-statistic overlaps has no worst");
    }

    private static float[] WeightsOf(CrnnGan.Model.Generator generator) =>
        generator.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    [Fact]
    public void WithoutFreezingBothNetworksLearnEveryBatch()
    {
        var config = TinyRuns.Config(epochs: 1, pretrainEpochs: 0).With("optimisation.freezing=false");
        using var trainer = GanTrainer.Start(config, TinyRuns.Data(config), TinyRuns.NewFolder());
        var gBefore = Snapshot(trainer.Generator);
        var dBefore = Snapshot(trainer.Discriminator);
        trainer.Run();

        Assert.Equal(0, trainer.History[0].DiscriminatorFrozen + trainer.History[0].GeneratorFrozen);
        Assert.Contains(trainer.Generator.state_dict(), kv => !torch.eq(kv.Value, gBefore[kv.Key]).all().item<bool>());
        Assert.Contains(trainer.Discriminator.state_dict(), kv => !torch.eq(kv.Value, dBefore[kv.Key]).all().item<bool>());
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

    private static void AssertSameWeights(GanTrainer a, GanTrainer b)
    {
        foreach (var (moduleA, moduleB) in new (nn.Module, nn.Module)[] { (a.Generator, b.Generator), (a.Discriminator, b.Discriminator) })
        {
            var weightsB = moduleB.state_dict();
            foreach (var (name, weight) in moduleA.state_dict())
                Assert.True(torch.eq(weight, weightsB[name]).all().item<bool>(), $"{name} differs");
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the trainer's cancellation test needs the callback inline.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
