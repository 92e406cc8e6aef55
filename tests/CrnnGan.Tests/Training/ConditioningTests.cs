using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Model;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Training;

/// <summary>Conditioning G and D on each song's composer or genre (data.condition).</summary>
[Collection(TorchCollection.Name)]
public class ConditioningTests
{
    public ConditioningTests() => CrnnGan.Runtime.TorchRuntime.EnsureLoaded();

    /// <summary>A corpus laid out as genre/composer/*.mid: each composer's songs in a register of its own.</summary>
    internal static string LabelledCorpus(params (string Genre, string Composer, int Songs)[] groups)
    {
        string root = TinyRuns.NewFolder();
        var random = new Random(3);
        int register = 40;
        foreach (var (genre, composer, songs) in groups)
        {
            string folder = Path.Combine(root, genre, composer);
            Directory.CreateDirectory(folder);
            register += 8;
            for (int i = 0; i < songs; i++)
            {
                long tick = 0;
                var notes = Enumerable.Range(0, 30).Select(_ => new Note(tick += 192, 192, register + random.Next(0, 7), 90)).ToArray();
                MidiFileWriter.Write(Path.Combine(folder, $"{composer}-{i}.mid"), notes);
            }
        }
        return root;
    }

    private static TrainingConfig Conditioned(string corpus, string kind = "composer", int minSongs = 3) =>
        TinyRuns.Config(epochs: 2, pretrainEpochs: 1).With($"data.path=\"{corpus}\"", $"data.condition=\"{kind}\"", $"data.min_label_songs={minSongs}",
            "data.validation_fraction=0.1", "data.test_fraction=0", "run.validation_songs=6");

    [Fact]
    public void LabelsWithTooFewSongsAreGroupedAsOtherAndTheRunSaysSo()
    {
        string corpus = LabelledCorpus(("baroque", "bach", 8), ("romantic", "chopin", 8), ("romantic", "liszt", 2), ("modern", "satie", 1));
        var said = new List<string>();
        var data = TrainingCorpus.Load(Conditioned(corpus), null, said.Add);

        Assert.Equal(["bach", "chopin", LabelSet.Other], data.Labels!.Names);
        Assert.Equal(data.Train.Count, data.Labels.Songs.Sum());
        Assert.Equal(data.Train.Count, data.TrainLabels!.Count);
        Assert.Contains(said, s => s.Contains("grouped as \"other\"") && s.Contains("liszt") && s.Contains("satie") && s.Contains("data.min_label_songs"));
        Assert.Equal(data.Validation.Count, data.ValidationLabels!.Count);
    }

    [Fact]
    public void FewerThanTwoLabelsAreRefusedNamingTheSetting()
    {
        string corpus = LabelledCorpus(("baroque", "bach", 8), ("romantic", "chopin", 2));
        var error = Assert.Throws<SettingException>(() => TrainingCorpus.Load(Conditioned(corpus), null, _ => { }));
        Assert.Contains("data.min_label_songs", error.Message);
        // By genre there are two labels with enough songs, one song each below the minimum of 1: fine.
        var byGenre = TrainingCorpus.Load(Conditioned(corpus, "genre", minSongs: 1), null, _ => { });
        Assert.Equal(["baroque", "romantic"], byGenre.Labels!.Names);
    }

    [Fact]
    public void ConditioningNeedsAMidiFolder()
    {
        var error = Assert.Throws<SettingException>(() => TinyRuns.Config().With("data.condition=\"composer\"").Validate());
        Assert.Contains("data.condition", error.Message);
    }

    [Fact]
    public void TheSameSeedWritesOtherSongsForOtherLabels()
    {
        var config = new ModelConfig(4, Hidden: 8, LabelCount: 3);
        torch.manual_seed(1);
        using var g = new Generator(config);
        g.eval();
        Tensor Songs(int label)
        {
            torch.manual_seed(5);
            return g.Sample(2, 12, labels: Conditioning.OneHot([label, label], 3));
        }
        using var first = Songs(0);
        using var again = Songs(0);
        using var other = Songs(2);
        Assert.True(first.allclose(again, 0, 0));
        Assert.False(first.allclose(other));
        Assert.Throws<ArgumentException>(() => g.Sample(2, 12, labels: Conditioning.OneHot([0], 3)));
    }

    [Fact]
    public void AnUnconditionedGeneratorDrawsWhatItDrewBefore()
    {
        // The input layer of an unconditioned G reads noise and song noise alone, and its noise draws nothing more.
        var config = new ModelConfig(4, Hidden: 8, SongNoiseSize: 2);
        torch.manual_seed(1);
        using var g = new Generator(config);
        Assert.Equal(config.StepInputNoiseSize, g.Linears.NoiseInput.weight!.shape[1]);
        torch.manual_seed(3);
        var (noise, _) = g.Noise(2, 5);
        torch.manual_seed(3);
        using var expected = torch.rand(2, 5, 4);
        Assert.True(noise[.., .., ..4].allclose(expected, 0, 0));
        Assert.Throws<ArgumentException>(() => g.Sample(1, 3, labels: Conditioning.OneHot([0], 2)));
    }

    /// <summary>The fast adversarial step (G's gradients from <see cref="GeneratorTape"/>) against autograd, with labels
    /// beside G's noise and D's events.</summary>
    [Fact]
    public void TheConditionedAdversarialStepIsAPlainAutogradStep()
    {
        var config = TinyRuns.Config(epochs: 1, pretrainEpochs: 0).With("model.dropout=0", "model.d_input_dropout=0",
            "optimisation.freezing=false", "optimisation.l2=0.1", "optimisation.adam=true", "optimisation.learning_rate=0.01",
            "losses.fm_means=true", "model.song_noise=2") with
        {
            Labels = new LabelSet { Kind = ConditionLabel.Composer, Names = ["a", "b", "c"], Songs = [3, 3, 3] },
        };
        var data = TinyRuns.Data(config);
        torch.manual_seed(5);
        using var step = new GanStep(config, data, torch.CPU, fresh: true);
        using var g = new Generator(config.Networks);
        using var d = new Discriminator(config.Networks);
        g.load_state_dict(step.Generator.state_dict());
        d.load_state_dict(step.Discriminator.state_dict());
        using var gOptimizer = GanStep.CreateOptimizer(config, g.parameters(), config.Optimisation.LearningRate);
        using var dOptimizer = GanStep.CreateOptimizer(config, d.parameters(), config.Optimisation.LearningRate * config.Optimisation.DiscriminatorLearningRateFactor);

        torch.manual_seed(9);
        using var real = torch.randn(5, 16, config.FeatureCount);
        using var labels = Conditioning.OneHot([0, 1, 2, 1, 0], 3);
        using var batch = Conditioning.Beside(real, labels);
        torch.manual_seed(11);
        step.Step(batch, TrainingPhase.Adversarial, new EpochAccumulator());

        torch.manual_seed(11);
        using (var scope = NewDisposeScope())
        {
            var fake = g.Sample(5, 16, labels: labels);
            var onReal = d.call(Conditioning.Beside(real, labels));
            var dLoss = GanLosses.Discriminator(onReal.Decision, d.call(Conditioning.Beside(fake.detach(), labels)).Decision);
            var gLoss = GanLosses.FeatureMatchingOfMeans(onReal.Features.detach(), d.call(Conditioning.Beside(fake, labels)).Features);
            gOptimizer.zero_grad();
            (gLoss + GanLosses.L2(g.RegularizedParameters, 0.1)).backward();
            nn.utils.clip_grad_norm_(g.parameters(), config.Optimisation.ClipNorm);
            gOptimizer.step();
            dOptimizer.zero_grad();
            (dLoss + GanLosses.L2(d.parameters(), 0.1)).backward();
            nn.utils.clip_grad_norm_(d.parameters(), config.Optimisation.ClipNorm);
            dOptimizer.step();
        }

        foreach (var (expected, actual) in new (nn.Module, nn.Module)[] { (g, step.Generator), (d, step.Discriminator) })
        {
            var fast = actual.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in expected.named_parameters())
                Assert.True(torch.allclose(parameter, fast[name], rtol: 1e-4, atol: 1e-6),
                    $"{name}: largest difference {(parameter - fast[name]).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void AConditionedRunKeepsItsLabelsThroughCheckpointAndGeneratorFile()
    {
        string corpus = LabelledCorpus(("baroque", "bach", 8), ("romantic", "chopin", 8), ("romantic", "liszt", 2));
        var config = Conditioned(corpus);
        var data = TrainingCorpus.Load(config, null, _ => { });
        string run = TinyRuns.NewFolder();
        using (var trainer = GanTrainer.Start(config, data, run))
            Assert.Equal(TrainingOutcome.Completed, trainer.Run());

        using var trained = TrainedModel.Load(Path.Combine(run, TrainingCheckpoint.FileName));
        Assert.Equal(data.Labels, trained.Labels);
        Assert.Equal(3, trained.Generator.Config.LabelCount);
        string file = Path.Combine(run, "exported.bin");
        trained.Export(file, halfPrecision: false, "test");
        using var exported = TrainedModel.Load(file);
        Assert.Equal(["bach", "chopin", "other"], exported.Labels!.Names);
        Assert.Equal(data.Labels!.Songs, exported.Labels.Songs);

        var bach = exported.Generate(2, 10, seed: 4, label: "BACH");
        var chopin = exported.Generate(2, 10, seed: 4, label: "chopin");
        Assert.NotEqual(bach[0].Notes, chopin[0].Notes);
        Assert.Equal(bach[0].Notes, exported.Generate(2, 10, seed: 4, label: "Bach")[0].Notes);
        var unknown = Assert.Throws<UnknownLabelException>(() => exported.Generate(1, 10, seed: 4, label: "mozart"));
        Assert.Contains("no composer \"mozart\"; it knows bach, chopin, other", unknown.Message);

        // Resuming reads the labels again from the data and refuses other ones.
        using (var resumed = GanTrainer.Resume(run, (c, scaling) => TrainingCorpus.Load(c, scaling, _ => { }), epochs: 3))
            Assert.Equal(data.Labels, resumed.Config.Labels);
    }

    [Fact]
    public void SettingsWithoutLabelsReadAsUnconditionedAndLabelsRoundTrip()
    {
        var plain = TinyRuns.Config();
        Assert.DoesNotContain("\"labels\":", SettingsJson.Write(plain)); // the top-level labels object (data.labels_csv is another key)
        Assert.Null(SettingsJson.Read(SettingsJson.Write(plain)).Labels);
        var labelled = plain with { Labels = new LabelSet { Kind = ConditionLabel.Genre, Names = ["jazz", "rock"], Songs = [4, 9] } };
        var read = SettingsJson.Read(SettingsJson.Write(labelled));
        Assert.Equal(labelled, read);
        Assert.Equal(2, read.Networks.LabelCount);
        Assert.Equal(plain.Networks, plain.Model.Networks);
    }

    [Fact]
    public void LabelsAreDrawnAndSharedInProportionToTheTrainingSongs()
    {
        var labels = new LabelSet { Kind = ConditionLabel.Composer, Names = ["a", "b", "c"], Songs = [10, 30, 60] };
        Assert.Equal([0, 1, 1, 1, 2, 2, 2, 2, 2, 2], labels.Proportional(10));
        var drawn = labels.Draw(10_000, new Random(1));
        Assert.InRange(drawn.Count(l => l == 2), 5700, 6300);
        Assert.InRange(drawn.Count(l => l == 0), 850, 1150);
    }
}
