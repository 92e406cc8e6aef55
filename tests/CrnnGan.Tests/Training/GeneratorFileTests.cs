using CrnnGan.Generation;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

[Collection(TorchCollection.Name)]
public class GeneratorFileTests
{
    [Fact]
    public void AnExportedGeneratorWritesTheSameSongsAsItsCheckpoint()
    {
        var config = TinyRuns.Config(epochs: 2, pretrainEpochs: 1).With("model.hidden=32");
        string folder = TinyRuns.NewFolder();
        using (var trainer = GanTrainer.Start(config, TinyRuns.Data(config), folder))
            trainer.Run();
        string single = Path.Combine(folder, "g.bin"), half = Path.Combine(folder, "g-half.bin");

        using var fromCheckpoint = TrainedModel.Load(folder);
        fromCheckpoint.Export(single, halfPrecision: false, "test run");
        fromCheckpoint.Export(half, halfPrecision: true, "test run, half");
        var expected = fromCheckpoint.Generate(4, 16, seed: 5);

        using var fromSingle = TrainedModel.Load(single);
        Assert.Equal("test run", fromSingle.Provenance);
        Assert.Equal(2, fromSingle.EpochsTrained);
        var again = fromSingle.Generate(4, 16, seed: 5);
        Assert.Equal(expected.Select(s => s.Events.Values), again.Select(s => s.Events.Values));

        using var fromHalf = TrainedModel.Load(half);
        var approximately = fromHalf.Generate(4, 16, seed: 5);
        float largest = expected.Zip(approximately).SelectMany(p => p.First.Events.Values.Zip(p.Second.Events.Values, (a, b) => Math.Abs(a - b) / (1 + Math.Abs(a)))).Max();
        Assert.True(largest < 0.05, $"half precision changed an event value by {largest:P1}");
        Assert.InRange(new FileInfo(half).Length, new FileInfo(single).Length * 0.45, new FileInfo(single).Length * 0.6);
    }

    [Fact]
    public void AFileThatIsNotAGeneratorIsNotTakenForOne()
    {
        string path = Path.Combine(TinyRuns.NewFolder() + ".txt");
        File.WriteAllText(path, "CRNNGAN\nnot really");
        Assert.False(GeneratorFile.IsGeneratorFile(path));
        File.Delete(path);
    }
}
