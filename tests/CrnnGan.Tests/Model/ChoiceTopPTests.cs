using CrnnGan.Cli;
using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.IO;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Cli;
using CrnnGan.Tests.Generation;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary>Nucleus sampling of the features G chooses from tables (<see cref="ChoiceTopP"/>).</summary>
[Collection(TorchCollection.Name)]
public sealed class ChoiceTopPTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public ChoiceTopPTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("0.97", 0.97, 0.97)]
    [InlineData("velocity=0.97", 1.0, 0.97)]
    [InlineData(" Velocity = 0.9 , 0.99", 0.99, 0.9)]
    [InlineData("1", 1.0, 1.0)]
    public void ParsesOneShareForAllAndNamedOnes(string text, double pitch, double velocity)
    {
        var topP = ChoiceTopP.Parse(text, out string? error);
        Assert.Null(error);
        Assert.Equal(pitch, topP!.Of(ChosenFeature.Pitch));
        Assert.Equal(velocity, topP.Of(ChosenFeature.Velocity));
        Assert.Equal(pitch, topP.Of(ChosenFeature.Time));
        Assert.Equal(ChoiceTopP.With(topP.Shares), topP); // what a generator file stores reads back the same
    }

    [Theory]
    [InlineData("0", "must be above 0 and at most 1, got 0")]
    [InlineData("velocity=1.5", "must be above 0 and at most 1 for velocity, got 1.5")]
    [InlineData("speed=0.9", "names pitch, time, length or velocity, got 'speed'")]
    [InlineData("0.9,0.8", "takes at most one share without a name")]
    [InlineData("velocity=0.9,velocity=0.8", "gives velocity twice")]
    [InlineData("velocity", "must be a share or NAME=SHARE")]
    [InlineData("NaN", "must be above 0 and at most 1, got NaN")]
    public void RefusesWhatIsNotAShare(string text, string expected)
    {
        Assert.Null(ChoiceTopP.Parse(text, out string? error));
        Assert.Contains(expected, error);
    }

    /// <summary>Velocity scores whose softmax is 0.5, 0.3, 0.15, 0.05 over velocities 1-4 (nearly 0 elsewhere), for a batch of <paramref name="batch"/>.</summary>
    private static (ChoiceHead Head, Tensor Raw) VelocityScores(int batch)
    {
        var head = ChoiceHead.For(new ModelConfig(4, Hidden: 8, VelocityChoice: true), FeatureScaling.Default)!;
        var raw = full(new long[] { batch, head.FeatureCount + ChoiceHead.Velocities }, -30f);
        raw[.., head.FeatureCount..(head.FeatureCount + 4)] = tensor(new[] { 0.5f, 0.3f, 0.15f, 0.05f }).log().expand(batch, 4);
        return (head, raw);
    }

    /// <summary>How often each of velocities 1-4 is drawn from the scores with Gumbel noise at <paramref name="scale"/>, cut to <paramref name="share"/>.</summary>
    private static double[] Drawn(double scale, double share)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var (head, raw) = VelocityScores(20_000);
        var gumbel = rand(raw.shape[0], ChoiceHead.Velocities).clamp_(1e-7, 1 - 1e-7).log_().neg_().log_().neg_().mul_(scale);
        var scales = new NoiseScales(scale) with { TopP = new ChoiceTopP(Velocity: share) };
        head.CutTails(raw, gumbel, scales, _ => true);
        var chosen = head.NoisyScores(raw, gumbel).argmax(1);
        return Enumerable.Range(0, 4).Select(v => chosen.eq(v).to(ScalarType.Float32).mean().item<float>() * 1.0).ToArray();
    }

    [Fact]
    public void DrawsOnlyAmongTheLikeliestEntriesThatHoldTheShareInTheirOwnProportions()
    {
        var all = Drawn(1, 1);
        Assert.All(all.Zip(new[] { 0.5, 0.3, 0.15, 0.05 }), p => Assert.InRange(p.First, p.Second - 0.015, p.Second + 0.015));

        var cut = Drawn(1, 0.6); // 0.5 is below 0.6, so the second entry is needed too; the rest are cut
        Assert.Equal(0, cut[2] + cut[3]);
        Assert.InRange(cut[0] / cut[1], 5.0 / 3 - 0.1, 5.0 / 3 + 0.1);

        // At a scale of 0.5 the probabilities are those of the scores doubled: 0.68 for the first, which holds 0.6 alone.
        Assert.Equal(1.0, Drawn(0.5, 0.6)[0]);
        Assert.True(Drawn(0.5, 0.9)[1] > 0.2);
        Assert.Throws<ArgumentException>(() => Drawn(1, 0)); // a share of 0 would leave nothing to draw
    }

    [Fact]
    public void AVanishingShareDrawsWhatScaleZeroDrawsAndLeavesTheOtherFeaturesAlone()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = new Generator(new ModelConfig(4, Hidden: 12, PitchChoice: true, TimeChoiceGrid: 96, LengthChoiceGrid: 96, VelocityChoice: true),
            FeatureScaling.Default);
        g.eval();
        Tensor Songs(NoiseScales scales)
        {
            torch.manual_seed(11);
            return g.Sample(6, 12, scales);
        }
        var velocity = EventLayout.IntensityIndex(0);
        var drawn = Songs(new NoiseScales(1));
        var cut = Songs(new NoiseScales(1) with { TopP = new ChoiceTopP(Velocity: 1e-6) });
        var highest = Songs(new NoiseScales(1, Velocity: 0));

        Assert.True(cut.equal(highest).all().item<bool>());
        Assert.False(cut[.., .., velocity].equal(drawn[.., .., velocity]).all().item<bool>());
        // Nearly all of the probability kept: the tail a draw reaches in 72 steps is still there.
        Assert.True(Songs(new NoiseScales(1) with { TopP = new ChoiceTopP(Velocity: 0.9999) }).equal(drawn).all().item<bool>());
    }

    [Fact]
    public void TheTimeIsCutBeforeThePitchReadsWhetherItJoinsAChord()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        var g = new Generator(new ModelConfig(4, Hidden: 12, PitchChoice: true, TimeChoiceGrid: 96, LengthChoiceGrid: 96, VelocityChoice: true,
            PitchIntervals: 12, PitchIntervalLags: 2, ChordIntervals: true), FeatureScaling.Default);
        g.eval();
        Tensor Songs(NoiseScales scales)
        {
            torch.manual_seed(11);
            return g.Sample(64, 32, scales);
        }
        // A vanishing time share takes the likeliest time, as a time scale of 0 does; the chord's pitch scores must see that time.
        var cut = Songs(new NoiseScales(1) with { TopP = new ChoiceTopP(Time: 1e-6) });
        Assert.True(cut.equal(Songs(new NoiseScales(1, Time: 0))).all().item<bool>());
        Assert.False(cut.equal(Songs(new NoiseScales(1))).all().item<bool>());
    }

    [Fact]
    public void ExportStoresATopPThatGenerateUsesAndSays()
    {
        string plain = PrimeFixtures.ModelFile(_folder.File("plain.bin"), 100, "model.pitch_choice=true", "model.pitch_class_head=false");
        string cut = _folder.File("cut.bin");
        var export = CliRunner.Run("export", "--model", plain, "--out", cut, "--noise-scale", "0.9", "--top-p", "pitch=0.5");
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        Assert.Contains("sampled at noise scale 0.9, top-p pitch 0.5", export.Output);
        using (var model = TrainedModel.Load(cut))
            Assert.Equal(new NoiseScales(0.9) with { TopP = new ChoiceTopP(Pitch: 0.5) }, model.NoiseScale);

        string Songs(string model, string name, params string[] more)
        {
            string folder = _folder.File(name);
            var result = CliRunner.Run(["generate", "--model", model, "--out", folder, "-n", "3", "-s", "4", .. more]);
            Assert.True(result.ExitCode == 0, result.Output + result.Error);
            return string.Join(";", Directory.GetFiles(folder, "*.mid").Order().Select(f => Convert.ToBase64String(File.ReadAllBytes(f))));
        }
        string own = Songs(cut, "own");
        Assert.Equal(Songs(plain, "asked", "--noise-scale", "0.9", "--top-p", "pitch=0.5"), own);
        Assert.Equal(Songs(cut, "scale-asked", "--noise-scale", "0.9"), own); // --noise-scale alone keeps the model's top-p
        Assert.Equal(Songs(cut, "top-p-asked", "--top-p", "pitch=0.5"), own); // and --top-p alone its noise scale
        Assert.Equal(Songs(cut, "unnamed", "--top-p", "0.5"), own);           // a share without a name: the features G chooses (pitch)
        Assert.NotEqual(Songs(cut, "uncut", "--top-p", "1"), own);
    }

    [Fact]
    public void BadSharesAreRefusedNamingTheOptionOrTheFile()
    {
        string saying = PrimeFixtures.ModelFile(_folder.File("saying.bin"), 100);
        var zero = CliRunner.Run("generate", "--model", saying, "--out", _folder.File("out"), "--top-p", "0");
        Assert.Equal(ExitCodes.BadUsage, zero.ExitCode);
        Assert.Contains("--top-p must be above 0 and at most 1, got 0", zero.Error);

        string choosing = PrimeFixtures.ModelFile(_folder.File("choosing.bin"), 100, "model.pitch_choice=true", "model.pitch_class_head=false");
        var notChosen = CliRunner.Run("generate", "--model", choosing, "--out", _folder.File("out2"), "--top-p", "velocity=0.9");
        Assert.Equal(ExitCodes.BadUsage, notChosen.ExitCode);
        Assert.Contains("--top-p velocity=...: this model does not choose velocity from a table; it chooses pitch", notChosen.Error);
        var unnamed = CliRunner.Run("generate", "--model", choosing, "--out", _folder.File("out3"), "--top-p", "0.9,pitch=1");
        Assert.True(unnamed.ExitCode == 0, unnamed.Error); // the unnamed share names no feature: nothing to refuse
        Assert.DoesNotContain("top-p", unnamed.Output);       // and it cuts nothing this G chooses
        var nothingChosen = CliRunner.Run("generate", "--model", saying, "--out", _folder.File("out4"), "--top-p", "0.97");
        Assert.Equal(ExitCodes.BadUsage, nothingChosen.ExitCode);
        Assert.Contains("--top-p: this model chooses no value from a table", nothingChosen.Error);

        string damaged = _folder.File("damaged.bin");
        var (header, generator) = GeneratorFile.Load(choosing);
        using (generator)
            GeneratorFile.Save(damaged, generator, header with { ChoiceTopP = new() { ["pitch"] = 1.5 } });
        var error = Assert.Throws<CheckpointException>(() => TrainedModel.Load(damaged));
        Assert.Contains("damaged.bin", error.Message);
        Assert.Contains("top-p", error.Message);
    }
}
