using CrnnGan.Data;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Generation;

/// <summary>A trained G loaded from a run folder, a checkpoint or a generator file, ready to write music.</summary>
public sealed class TrainedModel : IDisposable
{
    private TrainedModel(string checkpointPath, TrainingConfig config, FeatureScaling scaling, int epochs, Generator generator, string provenance = "")
    {
        CheckpointPath = checkpointPath;
        Config = config;
        Scaling = scaling;
        EpochsTrained = epochs;
        Generator = generator;
        Provenance = provenance;
    }

    /// <summary>Where the bundled model is looked for: next to the program.</summary>
    public static string BundledPath => Path.Combine(AppContext.BaseDirectory, "models", "crnngan-classical.bin");

    public string CheckpointPath { get; }
    public TrainingConfig Config { get; }
    public FeatureScaling Scaling { get; }
    public int EpochsTrained { get; }
    public Generator Generator { get; }
    public string Provenance { get; }

    /// <param name="runOrCheckpoint">A run folder (holding checkpoint.bin), a checkpoint file or a generator file.</param>
    public static TrainedModel Load(string runOrCheckpoint)
    {
        TorchRuntime.EnsureLoaded();
        string path = Directory.Exists(runOrCheckpoint) ? Path.Combine(runOrCheckpoint, TrainingCheckpoint.FileName) : runOrCheckpoint;
        if (GeneratorFile.IsGeneratorFile(path))
        {
            var (fileHeader, loaded) = GeneratorFile.Load(path);
            return new TrainedModel(path, fileHeader.Config, GeneratorFile.Scaling(fileHeader), fileHeader.EpochsTrained, loaded, fileHeader.Provenance);
        }
        var header = TrainingCheckpoint.ReadHeader(path);
        var generator = new Generator(header.Config.Model);
        try
        {
            TrainingCheckpoint.LoadWeights(path, generator, null, null, null, average: generator); // the averaged G, if the run keeps one
        }
        catch
        {
            generator.Dispose();
            throw;
        }
        return new TrainedModel(path, header.Config, TrainingCheckpoint.Scaling(header), header.Epoch, generator);
    }

    /// <summary><paramref name="count"/> songs of <paramref name="length"/> events; the same seed gives the same songs.</summary>
    public IReadOnlyList<GeneratedSong> Generate(int count, int length, long seed)
    {
        torch.manual_seed(seed);
        return SongSampler.Sample(Generator, Scaling, Config.TonesPerCell, count, length);
    }

    /// <summary>Writes G alone (optionally in half precision) with its config, scaling and <paramref name="provenance"/>.</summary>
    public void Export(string path, bool halfPrecision, string provenance) =>
        GeneratorFile.Save(path, Generator, new GeneratorFileHeader
        {
            Config = Config,
            ScalingJson = Scaling.ToJson(),
            EpochsTrained = EpochsTrained,
            HalfPrecision = halfPrecision,
            Provenance = provenance,
        });

    public void Dispose() => Generator.Dispose();
}
