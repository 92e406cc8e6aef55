using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrnnGan.Data;
using CrnnGan.IO;
using CrnnGan.Midi;
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
    /// <summary>The training songs' most common tempo (see <see cref="TrainingData.TempoBpm"/>); absent in checkpoints
    /// written before crnngan stored it, which generate writes at 120 BPM.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TempoBpm { get; init; }
    public DateTimeOffset SavedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// One file: magic, a JSON header (version, config, scaling, progress, RNG state), then G's and D's weights and
/// both optimisers' state, then a checksum of it all (see <see cref="HeaderedFile"/>). Written to a temporary file
/// and renamed, so an interrupted write leaves the previous one.
/// </summary>
public static class TrainingCheckpoint
{
    public const int FormatVersion = 2; // 2: G has one fused LSTM and a split input layer
    public const string FileName = "checkpoint.bin";
    internal const string Kind = "checkpoint";
    private static readonly byte[] Magic = "CRNNGAN\n"u8.ToArray();

    public static string LibraryVersion { get; } =
        typeof(TrainingCheckpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    internal static JsonSerializerOptions JsonOptions => HeaderedFile.JsonOptions;

    public static void Save(string path, CheckpointHeader header, Generator generator, Discriminator discriminator,
        OptimizerHelper generatorOptimizer, OptimizerHelper discriminatorOptimizer, Generator? average = null)
    {
        if ((average is not null) != (header.Config.Optimisation.AverageDecay > 0))
            throw new ArgumentException("an averaged G must be saved exactly when the run keeps one", nameof(average));
        HeaderedFile.Write(path, Magic, header, writer =>
        {
            generator.save(writer);
            average?.save(writer);
            discriminator.save(writer);
            generatorOptimizer.save_state_dict(writer);
            discriminatorOptimizer.save_state_dict(writer);
        });
    }

    /// <summary>Reads the header only: a cheap look at a run's progress and settings, with no checksum verified.
    /// What loads weights goes through <see cref="Read(string)"/>.</summary>
    public static CheckpointHeader ReadHeader(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "no such checkpoint");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var reader = new BinaryReader(stream);
        return CheckedHeader(HeaderedFile.ReadHeader<CheckpointHeader>(reader, Magic, path, Kind), path);
    }

    /// <summary>The whole checkpoint in one open and one read, its checksum verified and its header checked.</summary>
    public static CheckpointFile Read(string path) => Read(path, HeaderedFile.ReadAllBytes(path, Kind));

    /// <summary>The checkpoint in <paramref name="bytes"/>, read already from <paramref name="path"/>.</summary>
    public static CheckpointFile Read(string path, byte[] bytes)
    {
        var content = HeaderedFile.Parse<CheckpointHeader>(bytes, Magic, path, Kind);
        return new CheckpointFile(path, CheckedHeader(content.Header, path), content);
    }

    /// <summary>Reads the checkpoint at <paramref name="path"/> and loads its weights: see <see cref="CheckpointFile.LoadWeights"/>.</summary>
    public static CheckpointHeader LoadWeights(string path, Generator generator, Discriminator? discriminator,
        OptimizerHelper? generatorOptimizer, OptimizerHelper? discriminatorOptimizer, Generator? average = null)
    {
        var checkpoint = Read(path);
        checkpoint.LoadWeights(generator, discriminator, generatorOptimizer, discriminatorOptimizer, average);
        return checkpoint.Header;
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
        if (header.TempoBpm is double tempo && !SongTempo.IsValid(tempo))
            throw new CheckpointException(path, $"corrupt checkpoint header (tempo {tempo} BPM)");
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

    internal static string Describe(ModelConfig model) =>
        $"{model.FeatureCount} features, hidden {model.Hidden}, {model.Layers} layers, {(model.BidirectionalDiscriminator ? "bidirectional" : "unidirectional")} D";

    private static CheckpointHeader CheckedHeader(CheckpointHeader header, string path)
    {
        if (header.FormatVersion != FormatVersion)
            throw new CheckpointException(path,
                $"checkpoint format {header.FormatVersion} (crnngan {header.CrnnGanVersion}) cannot be read by crnngan {LibraryVersion} (format {FormatVersion})");
        CheckHeader(header, path);
        return header;
    }
}
