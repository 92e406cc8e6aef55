using CrnnGan.Data;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Generation;

/// <summary>A trained G loaded from a run folder or checkpoint file, ready to write music.</summary>
public sealed class TrainedModel : IDisposable
{
    private TrainedModel(string checkpointPath, CheckpointHeader header, Generator generator)
    {
        CheckpointPath = checkpointPath;
        Config = header.Config;
        Scaling = TrainingCheckpoint.Scaling(header);
        EpochsTrained = header.Epoch;
        Generator = generator;
    }

    public string CheckpointPath { get; }
    public TrainingConfig Config { get; }
    public FeatureScaling Scaling { get; }
    public int EpochsTrained { get; }
    public Generator Generator { get; }

    /// <param name="runOrCheckpoint">A run folder (holding checkpoint.bin) or a checkpoint file.</param>
    public static TrainedModel Load(string runOrCheckpoint)
    {
        TorchRuntime.EnsureLoaded();
        string path = Directory.Exists(runOrCheckpoint) ? Path.Combine(runOrCheckpoint, TrainingCheckpoint.FileName) : runOrCheckpoint;
        var header = TrainingCheckpoint.ReadHeader(path);
        var generator = new Generator(header.Config.Model);
        try
        {
            TrainingCheckpoint.LoadWeights(path, generator, null, null, null);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
        return new TrainedModel(path, header, generator);
    }

    /// <summary><paramref name="count"/> songs of <paramref name="length"/> events; the same seed gives the same songs.</summary>
    public IReadOnlyList<GeneratedSong> Generate(int count, int length, long seed)
    {
        torch.manual_seed(seed);
        return SongSampler.Sample(Generator, Scaling, Config.TonesPerCell, count, length);
    }

    public void Dispose() => Generator.Dispose();
}
