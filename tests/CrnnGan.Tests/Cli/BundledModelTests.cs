using CrnnGan.Generation;
using CrnnGan.Midi;

namespace CrnnGan.Tests.Cli;

[Collection(TorchCollection.Name)]
public class BundledModelTests
{
    [Fact]
    public void GenerateWithoutAModelWritesMusicFromTheBundledOne()
    {
        Assert.True(File.Exists(TrainedModel.BundledPath), $"the bundled model should be copied next to the program: {TrainedModel.BundledPath}");
        using var temp = new TempFolder();

        var result = CliRunner.Run("generate", "--count", "3", "--seed", "11", "--out", temp.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("crnngan-classical.bin", result.Output);
        var files = Directory.GetFiles(temp.Path, "*.mid");
        Assert.Equal(3, files.Length);
        var songs = files.Select(MidiFileReader.Read).ToList();
        Assert.All(songs, song => Assert.NotEmpty(song.Notes));
        Assert.All(songs.SelectMany(s => s.Notes), n => Assert.InRange(n.Pitch, 0, 127));
    }

    [Fact]
    public void TheBundledModelSaysWhereItCameFrom()
    {
        using var model = TrainedModel.Load(TrainedModel.BundledPath);
        Assert.Contains("classical", model.Provenance);
        Assert.Equal(100, model.Config.Length);
    }
}
