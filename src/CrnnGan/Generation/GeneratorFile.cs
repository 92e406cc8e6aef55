using System.Text;
using CrnnGan.Data;
using CrnnGan.IO;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;
using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Generation;

/// <summary>What a generator file says about the G it holds.</summary>
public sealed record GeneratorFileHeader
{
    public int FormatVersion { get; init; } = GeneratorFile.FormatVersion;
    public string CrnnGanVersion { get; init; } = TrainingCheckpoint.LibraryVersion;
    public required TrainingConfig Config { get; init; }
    public required string ScalingJson { get; init; }
    public int EpochsTrained { get; init; }
    public bool HalfPrecision { get; init; }
    /// <summary>Free text: data, settings, evaluation figures.</summary>
    public string Provenance { get; init; } = "";
}

/// <summary>
/// G alone, for sharing and bundling: magic, a JSON header (config, scaling, provenance), then G's weights,
/// optionally in half precision (half the size; computation is always in single precision).
/// </summary>
public static class GeneratorFile
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "CRNNGANG"u8.ToArray();

    public static bool IsGeneratorFile(string path) => HeaderedFile.StartsWith(path, Magic);

    public static void Save(string path, Generator generator, GeneratorFileHeader header)
    {
        using var copy = new Generator(generator.Config);
        copy.load_state_dict(generator.state_dict());
        if (header.HalfPrecision) copy.to(ScalarType.Float16);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            HeaderedFile.WriteHeader(writer, Magic, header);
            copy.save(writer);
        });
    }

    public static (GeneratorFileHeader Header, Generator Generator) Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var header = HeaderedFile.ReadHeader<GeneratorFileHeader>(reader, Magic, path, "generator file");
        if (header.FormatVersion != FormatVersion)
            throw new CheckpointException(path, $"generator file format {header.FormatVersion} (crnngan {header.CrnnGanVersion}) cannot be read by crnngan {TrainingCheckpoint.LibraryVersion} (format {FormatVersion})");

        var generator = new Generator(header.Config.Networks);
        try
        {
            if (header.HalfPrecision) generator.to(ScalarType.Float16);
            generator.load(reader, strict: true);
            generator.to(ScalarType.Float32);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException)
        {
            generator.Dispose();
            throw new CheckpointException(path, $"truncated or corrupt weights ({e.Message})");
        }
        return (header, generator);
    }

    public static FeatureScaling Scaling(GeneratorFileHeader header) => FeatureScaling.FromJson(header.ScalingJson);
}
