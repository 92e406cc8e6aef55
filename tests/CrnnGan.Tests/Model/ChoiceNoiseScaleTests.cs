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

/// <summary>Noise scales of their own for the features G chooses from tables (<see cref="NoiseScales"/>).</summary>
[Collection(TorchCollection.Name)]
public sealed class ChoiceNoiseScaleTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public ChoiceNoiseScaleTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => _folder.Dispose();

    private static Generator ChoosingGenerator()
    {
        torch.manual_seed(3);
        var g = new Generator(new ModelConfig(4, Hidden: 12, PitchChoice: true, TimeChoiceGrid: 96, LengthChoiceGrid: 96, VelocityChoice: true),
            FeatureScaling.Default);
        g.eval();
        return g;
    }

    private static GeneratorRandoms Draw(Generator g, NoiseScales? scales)
    {
        torch.manual_seed(11);
        return g.DrawRandoms(5, 6, scales);
    }

    private static Tensor Scores(Generator g, Tensor choiceNoise, ChosenFeature feature)
    {
        var column = g.Choices!.Columns.Single(c => c.Feature == feature);
        int from = column.Offset - g.Choices.FeatureCount;
        return choiceNoise[.., .., from..(from + column.Table.Length)];
    }

    [Fact]
    public void EachChosenFeatureTakesItsOwnScaleAndTheOthersTheStepScale()
    {
        using var scope = NewDisposeScope();
        var g = ChoosingGenerator();
        var unscaled = Draw(g, null);
        var scaled = Draw(g, new NoiseScales(0.5, Pitch: 0.25, Velocity: 0));

        Assert.True(scaled.Noise.equal(Draw(g, 0.5).Noise).all().item<bool>()); // the step noise follows Step alone
        foreach (var feature in Enum.GetValues<ChosenFeature>())
        {
            double expected = feature switch { ChosenFeature.Pitch => 0.25, ChosenFeature.Velocity => 0, _ => 0.5 };
            var want = Scores(g, unscaled.ChoiceNoise!, feature) * expected;
            Assert.True(Scores(g, scaled.ChoiceNoise!, feature).allclose(want), $"{feature} at {expected}");
        }
        // One scale for all is the scale of every noise, as before per-feature scales existed.
        Assert.True(Draw(g, 0.5).ChoiceNoise!.allclose(unscaled.ChoiceNoise! * 0.5));
    }

    [Theory]
    [InlineData("0.85", 0.85, null)]
    [InlineData("0.85,pitch=0.6", 0.85, 0.6)]
    [InlineData(" Pitch = 0.5 ", 1.0, 0.5)]
    [InlineData("pitch=0.6,1.5", 1.5, 0.6)]
    public void ParsesAStepScaleAndNamedOnes(string text, double step, double? pitch)
    {
        var scales = NoiseScales.Parse(text, out string? error);
        Assert.Null(error);
        Assert.Equal(new NoiseScales(step, Pitch: pitch), scales);
        Assert.Equal(pitch ?? step, scales!.Of(ChosenFeature.Pitch));
        Assert.Equal(step, scales.Of(ChosenFeature.Time));
    }

    [Theory]
    [InlineData("9", "must be 0 to 4, got 9")]
    [InlineData("0.85,pitch=-1", "must be 0 to 4 for pitch, got -1")]
    [InlineData("0.85,tempo=1", "names pitch, time, length or velocity, got 'tempo'")]
    [InlineData("0.8,0.9", "takes at most one number without a name")]
    [InlineData("pitch=0.5,pitch=0.6", "gives pitch twice")]
    [InlineData("pitch", "must be a number or NAME=NUMBER")]
    [InlineData("0.85,", "must be a number or NAME=NUMBER")]
    [InlineData("NaN", "must be 0 to 4, got NaN")]
    public void RefusesWhatIsNotAScale(string text, string expected)
    {
        Assert.Null(NoiseScales.Parse(text, out string? error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void ExportStoresAPitchScaleThatGenerateUsesAndSays()
    {
        string plain = PrimeFixtures.ModelFile(_folder.File("plain.bin"), 100, "model.pitch_choice=true", "model.pitch_class_head=false");
        string scaled = _folder.File("scaled.bin");
        var export = CliRunner.Run("export", "--model", plain, "--out", scaled, "--noise-scale", "0.8,pitch=0.3");
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        Assert.Contains("sampled at noise scale 0.8 (pitch 0.3)", export.Output);
        using (var model = TrainedModel.Load(scaled))
            Assert.Equal(new NoiseScales(0.8, Pitch: 0.3), model.NoiseScale);

        string Song(string model, string name, params string[] more)
        {
            string folder = _folder.File(name);
            var result = CliRunner.Run(["generate", "--model", model, "--out", folder, "-n", "2", "-s", "4", .. more]);
            Assert.True(result.ExitCode == 0, result.Output + result.Error);
            return string.Join(";", Directory.GetFiles(folder, "*.mid").Order().Select(f => Convert.ToBase64String(File.ReadAllBytes(f))));
        }
        string own = Song(scaled, "own");
        Assert.Equal(Song(plain, "asked", "--noise-scale", "0.8,pitch=0.3"), own);
        Assert.NotEqual(Song(plain, "step-only", "--noise-scale", "0.8"), own);

        var bad = CliRunner.Run("generate", "--model", plain, "--out", _folder.File("bad"), "--noise-scale", "0.8,pich=0.3");
        Assert.Equal(ExitCodes.BadUsage, bad.ExitCode);
        Assert.Contains("--noise-scale names pitch, time, length or velocity, got 'pich'", bad.Error);
    }

    [Theory]
    [InlineData("tempo", 0.5)]
    [InlineData("pitch", 9)]
    public void AFileWithNoiseScalesThatCannotBeIsRefusedNamingIt(string name, double scale)
    {
        string plain = PrimeFixtures.ModelFile(_folder.File("plain.bin"), 100, "model.pitch_choice=true", "model.pitch_class_head=false");
        string damaged = _folder.File("damaged.bin");
        var (header, generator) = GeneratorFile.Load(plain);
        using (generator)
            GeneratorFile.Save(damaged, generator, header with { ChoiceNoiseScales = new() { [name] = scale } });

        var error = Assert.Throws<CheckpointException>(() => TrainedModel.Load(damaged));
        Assert.Contains("damaged.bin", error.Message);
        Assert.Contains("noise scales", error.Message);
    }

    [Fact]
    public void AScaleForAFeatureTheModelDoesNotChooseIsRefused()
    {
        string saying = PrimeFixtures.ModelFile(_folder.File("saying.bin"), 100);
        var result = CliRunner.Run("generate", "--model", saying, "--out", _folder.File("out"), "--noise-scale", "0.8,pitch=0.3");
        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("--noise-scale pitch=...: this model does not choose pitch from a table", result.Error);

        string choosing = PrimeFixtures.ModelFile(_folder.File("choosing.bin"), 100, "model.pitch_choice=true", "model.pitch_class_head=false");
        var export = CliRunner.Run("export", "--model", choosing, "--out", _folder.File("x.bin"), "--noise-scale", "velocity=0.5");
        Assert.Equal(ExitCodes.BadUsage, export.ExitCode);
        Assert.Contains("does not choose velocity from a table; it chooses pitch", export.Error);
        Assert.False(File.Exists(_folder.File("x.bin")));
    }
}
