using CrnnGan.Cli;
using CrnnGan.Generation;
using CrnnGan.Midi;
using CrnnGan.Runtime;
using CrnnGan.Tests.Cli;

namespace CrnnGan.Tests.Generation;

/// <summary><c>export --noise-scale</c>: the temperature a model is sampled at when none is asked for.</summary>
[Collection(TorchCollection.Name)]
public sealed class StoredNoiseScaleTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public StoredNoiseScaleTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => _folder.Dispose();

    private IReadOnlyList<Note> Song(string model, string name, params string[] more)
    {
        string folder = _folder.File(name);
        var result = CliRunner.Run(["generate", "--model", model, "--out", folder, "-n", "1", "-s", "4", .. more]);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        return MidiFileReader.Read(Path.Combine(folder, "song-4-001.mid")).Notes;
    }

    [Fact]
    public void AnExportedScaleIsWhatGenerateUsesUnlessAnotherIsAsked()
    {
        string plain = PrimeFixtures.ModelFile(_folder.File("plain.bin"), tempoBpm: 100);
        string scaled = _folder.File("scaled.bin");
        var export = CliRunner.Run("export", "--model", plain, "--out", scaled, "--noise-scale", "0.5");
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        Assert.Contains("sampled at noise scale 0.5", export.Output);
        using (var model = TrainedModel.Load(scaled))
            Assert.Equal(0.5, model.NoiseScale);
        using (var model = TrainedModel.Load(plain))
            Assert.Equal(1, model.NoiseScale);

        var own = Song(scaled, "own");
        Assert.Equal(Song(plain, "asked", "--noise-scale", "0.5"), own);
        Assert.Equal(Song(plain, "plain"), Song(scaled, "overridden", "--noise-scale", "1"));
        Assert.NotEqual(Song(plain, "plain2"), own);

        var again = _folder.File("again.bin"); // exporting the exported file keeps its scale
        Assert.Equal(0, CliRunner.Run("export", "--model", scaled, "--out", again).ExitCode);
        using (var model = TrainedModel.Load(again))
            Assert.Equal(0.5, model.NoiseScale);

        var bad = CliRunner.Run("export", "--model", plain, "--out", _folder.File("bad.bin"), "--noise-scale", "9");
        Assert.Equal(ExitCodes.BadUsage, bad.ExitCode);
        Assert.Contains("--noise-scale must be 0 to 4, got 9", bad.Error);
    }
}
