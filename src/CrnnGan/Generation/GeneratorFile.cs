using System.Text.Json.Serialization;
using CrnnGan.Data;
using CrnnGan.IO;
using CrnnGan.Midi;
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
    /// <summary>The training songs' most common tempo; absent in files written before crnngan stored it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TempoBpm { get; init; }
    /// <summary>The scale of G's step noise the model is meant to be sampled at (its temperature, see
    /// <see cref="Model.Generator.Sample"/>), chosen on validation songs when it was exported; absent: 1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? NoiseScale { get; init; }
    /// <summary>Chosen features sampled at a scale of their own (pitch, time, length, velocity; see
    /// <see cref="Model.NoiseScales"/>); absent: all at <see cref="NoiseScale"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, double>? ChoiceNoiseScales { get; init; }
    /// <summary>Chosen features drawn among their likeliest entries alone, with the share of probability each keeps
    /// (<see cref="Model.ChoiceTopP"/>); absent: none cut.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, double>? ChoiceTopP { get; init; }
    /// <summary>Free text: data, settings, evaluation figures.</summary>
    public string Provenance { get; init; } = "";
}

/// <summary>
/// G alone, for sharing and bundling: magic, a JSON header (config, scaling, provenance), then G's weights,
/// optionally in half precision (half the size; computation is always in single precision), then a checksum of it
/// all (see <see cref="HeaderedFile"/>).
/// </summary>
public static class GeneratorFile
{
    public const int FormatVersion = 1;
    private const string Kind = "generator file";
    private static readonly byte[] Magic = "CRNNGANG"u8.ToArray();

    public static bool IsGeneratorFile(string path) => HeaderedFile.StartsWith(path, Magic);

    public static bool IsGeneratorFile(byte[] bytes) => HeaderedFile.StartsWith(bytes, Magic);

    public static void Save(string path, Generator generator, GeneratorFileHeader header)
    {
        using var copy = new Generator(generator.Config, Scaling(header));
        copy.load_state_dict(generator.state_dict());
        if (header.HalfPrecision) copy.to(ScalarType.Float16);
        HeaderedFile.Write(path, Magic, header, writer => copy.save(writer));
    }

    /// <summary>Reads the file in one open and one read, verifies its checksum and builds its G.</summary>
    public static (GeneratorFileHeader Header, Generator Generator) Load(string path) => Load(path, HeaderedFile.ReadAllBytes(path, Kind));

    /// <summary>The generator file in <paramref name="bytes"/>, read already from <paramref name="path"/>.</summary>
    public static (GeneratorFileHeader Header, Generator Generator) Load(string path, byte[] bytes)
    {
        var content = HeaderedFile.Parse<GeneratorFileHeader>(bytes, Magic, path, Kind);
        var header = content.Header;
        if (header.FormatVersion != FormatVersion)
            throw new CheckpointException(path, $"generator file format {header.FormatVersion} (crnngan {header.CrnnGanVersion}) cannot be read by crnngan {TrainingCheckpoint.LibraryVersion} (format {FormatVersion})");
        if (header.Config is null || header.ScalingJson is null)
            throw new CheckpointException(path, "corrupt generator file header (a required field is null)");
        if (header.TempoBpm is double tempo && !SongTempo.IsValid(tempo))
            throw new CheckpointException(path, $"corrupt generator file header (tempo {tempo} BPM)");
        if (!NoiseScalesAreValid(header))
            throw new CheckpointException(path, "corrupt generator file header (noise scales or top-p)");

        var generator = new Generator(header.Config.Networks, Scaling(header));
        try
        {
            using var reader = content.OpenTensors();
            if (header.HalfPrecision) generator.to(ScalarType.Float16);
            generator.load(reader, strict: true);
            generator.to(ScalarType.Float32);
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                throw new InvalidDataException($"{reader.BaseStream.Length - reader.BaseStream.Position} bytes follow G's weights, where the file should end");
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            generator.Dispose();
            throw new CheckpointException(path, $"truncated or corrupt weights ({e.Message})");
        }
        return (header, generator);
    }

    public static FeatureScaling Scaling(GeneratorFileHeader header) => FeatureScaling.FromJson(header.ScalingJson);

    /// <summary>The scales G is sampled at: the header's step scale with the chosen features' own, and their top-p.</summary>
    public static Model.NoiseScales NoiseScales(GeneratorFileHeader header) =>
        Model.NoiseScales.With(header.NoiseScale ?? 1, header.ChoiceNoiseScales) with { TopP = Model.ChoiceTopP.With(header.ChoiceTopP) };

    private static bool NoiseScalesAreValid(GeneratorFileHeader header)
    {
        try
        {
            NoiseScales(header);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
