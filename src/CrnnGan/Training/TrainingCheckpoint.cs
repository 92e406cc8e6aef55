using System.Reflection;
using System.Text;
using System.Text.Json;
using CrnnGan.Data;
using CrnnGan.IO;
using CrnnGan.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Training;

/// <summary>What a checkpoint holds besides tensors.</summary>
public sealed record CheckpointHeader
{
    public int FormatVersion { get; init; } = TrainingCheckpoint.FormatVersion;
    public string CrnnGanVersion { get; init; } = TrainingCheckpoint.LibraryVersion;
    public required TrainingConfig Config { get; init; }
    public required string ScalingJson { get; init; }
    /// <summary>Epochs fully done.</summary>
    public int Epoch { get; init; }
    /// <summary>Batches done in epoch <see cref="Epoch"/> when the run stopped mid-epoch (Ctrl-C); 0 at an epoch boundary.</summary>
    public int BatchInEpoch { get; init; }
    public EpochAccumulator Partial { get; init; } = new();
    public List<EpochRecord> History { get; init; } = [];
    public required string RngState { get; init; }
    /// <summary>Learning rates are multiplied by this; halved at each rollback after a divergence.</summary>
    public double LearningRateScale { get; init; } = 1;
    public int Rollbacks { get; init; }
    public DateTimeOffset SavedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// One file: magic, a JSON header (version, config, scaling, progress, RNG state), then G's and D's weights and
/// both optimisers' state. Written to a temporary file and renamed, so an interrupted write leaves the previous one.
/// </summary>
public static class TrainingCheckpoint
{
    public const int FormatVersion = 2; // 2: G has one fused LSTM and a split input layer
    public const string FileName = "checkpoint.bin";
    private static readonly byte[] Magic = "CRNNGAN\n"u8.ToArray();

    public static string LibraryVersion { get; } =
        typeof(TrainingCheckpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    internal static JsonSerializerOptions JsonOptions => HeaderedFile.JsonOptions;

    public static void Save(string path, CheckpointHeader header, Generator generator, Discriminator discriminator,
        OptimizerHelper generatorOptimizer, OptimizerHelper discriminatorOptimizer, Generator? average = null)
    {
        if ((average is not null) != (header.Config.Optimisation.AverageDecay > 0))
            throw new ArgumentException("an averaged G must be saved exactly when the run keeps one", nameof(average));
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            HeaderedFile.WriteHeader(writer, Magic, header);
            generator.save(writer);
            average?.save(writer);
            discriminator.save(writer);
            generatorOptimizer.save_state_dict(writer);
            discriminatorOptimizer.save_state_dict(writer);
        });
    }

    /// <summary>Reads the header only: cheap, and enough to rebuild the models before <see cref="LoadWeights"/>.</summary>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var stream = OpenChecked(path);
        using var reader = new BinaryReader(stream);
        return ReadHeader(reader, path);
    }

    /// <param name="average">Receives the averaged G of a run that keeps one (see <see cref="OptimisationSettings.AverageDecay"/>);
    /// it may be <paramref name="generator"/> itself, to get the averaged weights alone.</param>
    public static CheckpointHeader LoadWeights(string path, Generator generator, Discriminator? discriminator,
        OptimizerHelper? generatorOptimizer, OptimizerHelper? discriminatorOptimizer, Generator? average = null)
    {
        using var stream = OpenChecked(path);
        using var reader = new BinaryReader(stream);
        var header = ReadHeader(reader, path);
        if (header.Config.Networks != generator.Config)
            throw new CheckpointException(path, $"its model ({Describe(header.Config.Networks)}) differs from the one asked for ({Describe(generator.Config)})");
        try
        {
            generator.load(reader, strict: true);
            if (header.Config.Optimisation.AverageDecay > 0)
            {
                if (average is not null) average.load(reader, strict: true);
                else if (discriminator is not null)
                {
                    using var skipped = new Generator(header.Config.Networks);
                    skipped.load(reader, strict: true);
                }
            }
            if (discriminator is null) return header;
            discriminator.load(reader, strict: true);
            generatorOptimizer?.load_state_dict(reader);
            discriminatorOptimizer?.load_state_dict(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            throw new CheckpointException(path, $"truncated or corrupt weights ({e.Message})");
        }
        return header;
    }

    public static FeatureScaling Scaling(CheckpointHeader header) => FeatureScaling.FromJson(header.ScalingJson);

    public static string EncodeRngState(Tensor state) => Convert.ToBase64String(state.data<byte>().ToArray());

    public static Tensor DecodeRngState(string base64)
    {
        byte[] bytes = Convert.FromBase64String(base64);
        return tensor(bytes, new long[] { bytes.Length }, ScalarType.Byte);
    }

    /// <summary>
    /// A header that parses but holds settings no run can have (e.g. a hand-edited or damaged one) is refused here,
    /// before anything is built from it: otherwise --hidden 100000000 would become an allocation failure deep in torch.
    /// </summary>
    private static void CheckHeader(CheckpointHeader header, string path)
    {
        if (header.Config is null || header.ScalingJson is null || header.RngState is null || header.History is null || header.Partial is null)
            throw new CheckpointException(path, "corrupt checkpoint header (a required field is null)");
        if (header.Epoch < 0 || header.BatchInEpoch < 0)
            throw new CheckpointException(path, $"corrupt checkpoint header (epoch {header.Epoch}, batch {header.BatchInEpoch})");
        try
        {
            header.Config.Validate();
            FeatureScaling.FromJson(header.ScalingJson);
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            throw new CheckpointException(path, $"corrupt checkpoint header: {e.Message}");
        }
    }

    private static string Describe(ModelConfig model) =>
        $"{model.FeatureCount} features, hidden {model.Hidden}, {model.Layers} layers, {(model.BidirectionalDiscriminator ? "bidirectional" : "unidirectional")} D";

    private static FileStream OpenChecked(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "no such checkpoint");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        var header = HeaderedFile.ReadHeader<CheckpointHeader>(reader, Magic, path, "checkpoint");
        if (header.FormatVersion != FormatVersion)
            throw new CheckpointException(path,
                $"checkpoint format {header.FormatVersion} (crnngan {header.CrnnGanVersion}) cannot be read by crnngan {LibraryVersion} (format {FormatVersion})");
        CheckHeader(header, path);
        return header;
    }
}
