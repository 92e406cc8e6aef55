using CrnnGan.Generation;
using CrnnGan.IO;
using CrnnGan.Runtime;
using CrnnGan.Tests.Cli;
using CrnnGan.Tests.Training;
using CrnnGan.Training;
using TorchSharp;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.IO;

/// <summary>The SHA-256 trailer of checkpoints and generator files: every changed byte and every cut is refused; older files load.</summary>
[Collection(TorchCollection.Name)]
public sealed class HeaderedFileChecksumTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ABitFlippedAnywhereInAGeneratorFile_IsRefusedNamingTheFile()
    {
        string path = SavedGenerator("g.bin");
        byte[] good = File.ReadAllBytes(path);
        var reasons = new Dictionary<string, int>();
        for (int position = 0; position < good.Length; position++)
        {
            byte[] bytes = (byte[])good.Clone();
            bytes[position] ^= 0x01;
            var refused = Assert.Throws<CheckpointException>(() => GeneratorFile.Load(path, bytes));
            Assert.Equal(path, refused.Path);
            string kind = refused.Reason.Split(':', '(')[0].Trim();
            reasons[kind] = reasons.GetValueOrDefault(kind) + 1;
        }
        // The magic, the header's length, the checksum and its tag each fail in their own words; everything else as damaged.
        Assert.True(reasons.GetValueOrDefault("damaged generator file") > good.Length * 0.9, string.Join("; ", reasons));
    }

    [Fact]
    public void ACutAnywhereInACheckpoint_IsRefusedNamingTheFile()
    {
        string path = SavedCheckpoint();
        byte[] good = File.ReadAllBytes(path);
        string cut = _folder.File("cut/checkpoint.bin");
        foreach (int keep in Enumerable.Range(0, 64).Select(i => (int)((long)good.Length * i / 64)).Append(good.Length - 1))
        {
            File.WriteAllBytes(cut, good[..keep]);
            var refused = Assert.Throws<CheckpointException>(() => TrainedModel.Load(cut));
            Assert.Equal(cut, refused.Path);
            Assert.Contains("truncated", refused.Reason);
        }
    }

    [Fact]
    public void FilesWrittenBeforeChecksums_LoadTheSameWeights_AndEarlierReadersSkipTheTrailer()
    {
        string path = SavedGenerator("new.bin");
        byte[] current = File.ReadAllBytes(path);
        string old = _folder.File("old.bin");
        File.WriteAllBytes(old, HeaderedBytes.WithoutChecksum(current));
        Assert.True(HeaderedBytes.HasTrailer(current));
        Assert.False(HeaderedBytes.HasTrailer(File.ReadAllBytes(old)));

        var (_, fromNew) = GeneratorFile.Load(path);
        var (_, fromOld) = GeneratorFile.Load(old);
        using (fromNew)
        using (fromOld)
        {
            foreach (var ((name, a), (_, b)) in fromNew.state_dict().Zip(fromOld.state_dict()))
                Assert.True(a.equal(b).all().item<bool>(), $"{name} differs");
        }

        // An earlier crnngan reads the header and then G's weights alone from the stream: the trailer after them is never touched.
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var header = HeaderedFile.ReadHeader<GeneratorFileHeader>(reader, "CRNNGANG"u8.ToArray(), path, "generator file");
        using var generator = new Generator(header.Config.Networks);
        generator.load(reader, strict: true);
        Assert.Equal(stream.Length - HeaderedFile.TrailerLength, stream.Position);
    }

    [Fact]
    public void AChecksumOfAnUnknownKind_IsRefusedAsTheWorkOfANewerCrnngan()
    {
        string path = SavedGenerator("g.bin");
        byte[] renamed = HeaderedBytes.EditHeader(File.ReadAllBytes(path), header => header[HeaderedFile.ChecksumEntry] = "BLAKE3");
        File.WriteAllBytes(path, renamed);
        var refused = Assert.Throws<CheckpointException>(() => GeneratorFile.Load(path));
        Assert.Contains("its checksum is of a kind (BLAKE3)", refused.Message);
    }

    [Fact]
    public void ACheckpointIsReadInOneRead_SoReplacingItAfterwardsChangesNothingLoaded()
    {
        string path = SavedCheckpoint();
        var checkpoint = TrainingCheckpoint.Read(path);
        Assert.True(checkpoint.Checksummed);
        File.WriteAllBytes(path, [1, 2, 3]);
        using var generator = new Generator(checkpoint.Header.Config.Networks);
        checkpoint.LoadWeights(generator, null, null, null, average: generator);
    }

    private string SavedGenerator(string name)
    {
        TorchRuntime.EnsureLoaded();
        var config = TinyRuns.Config().With("model.hidden=8");
        torch.manual_seed(3);
        using var generator = new Generator(config.Networks);
        string path = _folder.File(name);
        GeneratorFile.Save(path, generator, new GeneratorFileHeader { Config = config, ScalingJson = TinyRuns.Data(config).Scaling.ToJson() });
        return path;
    }

    private string SavedCheckpoint()
    {
        var config = TinyRuns.Config(epochs: 1).With("model.hidden=8");
        string run = Path.Combine(_folder.Path, "run");
        using (GanTrainer.Start(config, TinyRuns.Data(config), run)) { } // writes the checkpoint of epoch 0
        return Path.Combine(run, TrainingCheckpoint.FileName);
    }
}
