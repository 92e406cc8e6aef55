using System.Text.Json;
using System.Text.Json.Serialization;
using CrnnGan.Training;

namespace CrnnGan.IO;

/// <summary>
/// The framing crnngan's binary files share: magic bytes, a length-prefixed JSON header, then tensors.
/// A header that cannot be read becomes a <see cref="CheckpointException"/> naming the file.
/// </summary>
public static class HeaderedFile
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void WriteHeader<T>(BinaryWriter writer, byte[] magic, T header)
    {
        writer.Write(magic);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, JsonOptions);
        writer.Write(json.Length);
        writer.Write(json);
    }

    /// <param name="kind">What the file is, for messages: "checkpoint", "generator file".</param>
    public static T ReadHeader<T>(BinaryReader reader, byte[] magic, string path, string kind) where T : class
    {
        try
        {
            byte[] start = reader.ReadBytes(magic.Length);
            if (!start.AsSpan().SequenceEqual(magic))
                throw new CheckpointException(path, magic.AsSpan().StartsWith(start) ? $"truncated {kind} (too short to hold a header)" : $"not a crnngan {kind}");
            int length = reader.ReadInt32();
            if (length <= 0 || length > reader.BaseStream.Length) throw new CheckpointException(path, $"truncated or corrupt {kind} header");
            return JsonSerializer.Deserialize<T>(reader.ReadBytes(length), JsonOptions) ?? throw new CheckpointException(path, $"empty {kind} header");
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new CheckpointException(path, $"truncated or corrupt {kind} ({e.Message})");
        }
        catch (Exception e) when (e is RetiredSettingException or SettingException)
        {
            throw new CheckpointException(path, e.Message);
        }
    }

    public static bool StartsWith(string path, byte[] magic)
    {
        if (!File.Exists(path)) return false;
        using var stream = File.OpenRead(path);
        Span<byte> start = stackalloc byte[magic.Length];
        return stream.Read(start) == magic.Length && start.SequenceEqual(magic);
    }
}
