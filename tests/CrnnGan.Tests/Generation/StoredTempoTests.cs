using System.Text;
using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.IO;
using CrnnGan.Midi;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Cli;
using CrnnGan.Tests.Training;
using CrnnGan.Training;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Generation;

/// <summary>The training music's most common tempo, stored with the model: through checkpoint, best G and export.</summary>
[Collection(TorchCollection.Name)]
public sealed class StoredTempoTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public StoredTempoTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => _folder.Dispose();

    private static bool HeaderMentionsTempo(string path) => Encoding.UTF8.GetString(File.ReadAllBytes(path)).Contains("\"TempoBpm\"");

    [Fact]
    public void ARunStoresItsTrainingSongsMostCommonTempo_InItsCheckpointBestGAndExport()
    {
        var config = TinyRuns.Config(epochs: 2, pretrainEpochs: 1);
        // 25 training songs: 20 at 84 BPM, 5 at 150; the validation songs (all at 200) do not count.
        var songs = SyntheticCorpus.Generate(30, seed: 11)
            .Select((s, i) => s with { Tempos = [new TempoChange(0, 60_000_000 / (i >= 25 ? 200 : i < 5 ? 150 : 84))] }).ToList();
        var data = TrainingData.FromSongs("synthetic", songs.Take(25).ToList(), songs.Skip(25).ToList(), config.TonesPerCell, config.Length);
        Assert.Equal(84, data.TempoBpm);

        string run = TinyRuns.NewFolder();
        using (var trainer = GanTrainer.Start(config, data, run))
            trainer.Run();
        var layout = new RunFolderLayout(run);
        Assert.Equal(84, TrainingCheckpoint.ReadHeader(layout.Checkpoint).TempoBpm);
        using (var fromCheckpoint = TrainedModel.Load(layout.Checkpoint))
            Assert.Equal(84, fromCheckpoint.TempoBpm);
        Assert.True(File.Exists(layout.BestGenerator));
        using (var best = TrainedModel.Load(layout.BestGenerator))
            Assert.Equal(84, best.TempoBpm);

        string exported = _folder.File("exported.bin");
        var export = CliRunner.Run("export", "--model", layout.Checkpoint, "--out", exported, "--half");
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        using (var loaded = TrainedModel.Load(exported))
            Assert.Equal(84, loaded.TempoBpm);

        var generate = CliRunner.Run("generate", "--model", exported, "--out", _folder.File("songs"), "-n", "1", "-s", "1");
        Assert.Contains("tempo: 84 BPM (the training music's most common, stored with the model", generate.Output);
        Assert.Equal(84, MidiFileReader.Read(Path.Combine(_folder.Path, "songs", "song-1-001.mid")).Tempos[0].Bpm, 2);
    }

    [Fact]
    public void AGeneratorFileWithoutATempo_AsWrittenBeforeItWasStored_LoadsAndWritesAt120()
    {
        string path = PrimeFixtures.ModelFile(_folder.File("old.bin"), tempoBpm: null);
        Assert.False(HeaderMentionsTempo(path), "a file without a tempo should be written as files were before");
        using (var model = TrainedModel.Load(path))
            Assert.Null(model.TempoBpm);

        var result = CliRunner.Run("generate", "--model", path, "--out", _folder.File("songs"), "-n", "1", "-s", "2");
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("tempo: 120 BPM (the model file stores no tempo, written before crnngan stored one; --tempo sets another)", result.Output);
        Assert.Equal(120, MidiFileReader.Read(Path.Combine(_folder.Path, "songs", "song-2-001.mid")).Tempos[0].Bpm, 2);

        string withTempo = PrimeFixtures.ModelFile(_folder.File("new.bin"), tempoBpm: 93);
        Assert.True(HeaderMentionsTempo(withTempo));
    }

    [Fact]
    public void ACheckpointWithoutATempo_AsWrittenBeforeItWasStored_Loads()
    {
        var config = TinyRuns.Config();
        var scaling = FeatureScaling.Default;
        using var g = new Generator(config.Networks);
        using var d = new Discriminator(config.Networks, scaling);
        var gOptimizer = GanStep.CreateOptimizer(config, g.parameters(), 1e-3);
        var dOptimizer = GanStep.CreateOptimizer(config, d.parameters(), 1e-3);
        using var rng = TorchSharp.torch.random.get_rng_state();
        string path = _folder.File("checkpoint.bin");
        TrainingCheckpoint.Save(path, new CheckpointHeader { Config = config, ScalingJson = scaling.ToJson(), RngState = TrainingCheckpoint.EncodeRngState(rng) },
            g, d, gOptimizer, dOptimizer);
        Assert.False(HeaderMentionsTempo(path));
        Assert.Null(TrainingCheckpoint.ReadHeader(path).TempoBpm);
        using var model = TrainedModel.Load(path);
        Assert.Null(model.TempoBpm);
    }

    [Fact]
    public void AStoredTempoNoMidiFileCanHold_IsRefusedAsCorrupt()
    {
        string path = PrimeFixtures.ModelFile(_folder.File("bad.bin"), tempoBpm: -5);
        var error = Assert.Throws<CheckpointException>(() => TrainedModel.Load(path));
        Assert.Contains("tempo -5 BPM", error.Message);
        Assert.Contains(path, error.Message);
    }
}
