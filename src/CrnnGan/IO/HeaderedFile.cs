using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CrnnGan.Training;

namespace CrnnGan.IO;

/// <summary>
/// The framing crnngan's binary files share: magic bytes, a length-prefixed JSON header, then tensors, then a
/// trailer: the SHA-256 of everything before it and the tag <c>SHA-256\n</c>. A header that cannot be read, a file
/// cut short and a changed byte each become a <see cref="CheckpointException"/> naming the file.
/// </summary>
/// <remarks>
/// Files with a trailer say so in their header (<c>"Checksum": "SHA-256"</c>), so a file that lost its end is told
/// from one written before checksums were added, which has neither the entry nor the trailer and is read as before,
/// unchecked. Earlier crnngan versions read the new files too: they skip the unknown
/// header entry and never read past the tensors.
/// </remarks>
public static class HeaderedFile
{
    /// <summary>The header entry saying the file ends with a checksum trailer, and its value.</summary>
    public const string ChecksumEntry = "Checksum";
    public const string ChecksumAlgorithm = "SHA-256";

    private const int HashLength = 32;
    private static readonly byte[] TrailerTag = "SHA-256\n"u8.ToArray();

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Bytes the trailer adds to a file: the SHA-256 and its tag.</summary>
    public static int TrailerLength => HashLength + TrailerTag.Length;

    /// <summary>Writes the file atomically (see <see cref="AtomicFile"/>), hashing it on the way and closing it with the trailer.</summary>
    public static void Write<T>(string path, byte[] magic, T header, Action<BinaryWriter> writeTensors)
    {
        AtomicFile.Write(path, stream =>
        {
            using var hashing = new HashingStream(stream);
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(magic);
                byte[] json = HeaderJson(header);
                writer.Write(json.Length);
                writer.Write(json);
                writeTensors(writer);
            }
            stream.Write(hashing.CurrentHash());
            stream.Write(TrailerTag);
        });
    }

    /// <summary>
    /// The whole file in one open and one read (so a file replaced meanwhile cannot mix two versions), its checksum
    /// verified and its header read. Files written before checksums are returned unchecked.
    /// </summary>
    /// <param name="kind">What the file is, for messages: "checkpoint", "generator file".</param>
    public static HeaderedFileContent<T> Read<T>(string path, byte[] magic, string kind) where T : class =>
        Parse<T>(ReadAllBytes(path, kind), magic, path, kind);

    /// <summary>A file's bytes, in one open and one read; a missing or unreadable file is a <see cref="CheckpointException"/>.</summary>
    public static byte[] ReadAllBytes(string path, string kind)
    {
        if (Directory.Exists(path)) throw new CheckpointException(path, $"is a folder, not a {kind}");
        if (!File.Exists(path)) throw new CheckpointException(path, $"no such {kind}");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            using var copy = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, Array.MaxLength) : 0);
            stream.CopyTo(copy);
            return copy.Length == copy.Capacity ? copy.GetBuffer() : copy.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"cannot read the {kind}: {e.Message}");
        }
    }

    /// <summary>The file of <see cref="Read{T}"/> from bytes read already.</summary>
    public static HeaderedFileContent<T> Parse<T>(byte[] bytes, byte[] magic, string path, string kind) where T : class
    {
        if (!bytes.AsSpan().StartsWith(magic))
        {
            bool cut = magic.AsSpan().StartsWith(bytes.AsSpan(0, Math.Min(bytes.Length, magic.Length)));
            throw new CheckpointException(path, cut ? $"truncated {kind} (too short to hold a header)" : $"not a crnngan {kind}");
        }
        if (bytes.Length < magic.Length + sizeof(int))
            throw new CheckpointException(path, $"truncated or corrupt {kind} header");
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(magic.Length));
        int headerStart = magic.Length + sizeof(int);
        if (length <= 0 || length > bytes.Length - headerStart)
            throw new CheckpointException(path, $"truncated or corrupt {kind} header");
        int headerEnd = headerStart + length;

        // Checked before the header is parsed, so that a changed byte in the header is reported as what it is.
        bool hasTrailer = bytes.Length - headerEnd >= TrailerLength && bytes.AsSpan().EndsWith(TrailerTag);
        int tensorsEnd = hasTrailer ? bytes.Length - TrailerLength : bytes.Length;
        if (hasTrailer && !SHA256.HashData(bytes.AsSpan(0, tensorsEnd)).AsSpan().SequenceEqual(bytes.AsSpan(tensorsEnd, HashLength)))
            throw new CheckpointException(path, $"damaged {kind}: its bytes do not match the {ChecksumAlgorithm} checksum saved with them " +
                                                "(a byte changed or went missing since it was written); it cannot be used");

        var (header, declared) = DeserializeHeader<T>(bytes.AsSpan(headerStart, length), path, kind);
        if (declared is not null && declared != ChecksumAlgorithm)
            throw new CheckpointException(path, $"its checksum is of a kind ({declared}) that crnngan {TrainingCheckpoint.LibraryVersion} does not know; it was written by a newer crnngan");
        if (declared is not null && !hasTrailer)
            throw new CheckpointException(path, $"truncated {kind}: it ends ({bytes.Length} bytes) before the {ChecksumAlgorithm} checksum that closes it");
        return new HeaderedFileContent<T>(header, new ArraySegment<byte>(bytes, headerEnd, tensorsEnd - headerEnd), hasTrailer);
    }

    /// <summary>The header alone, from a reader at the start of the file: a cheap look, with no checksum verified.</summary>
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
            byte[] json = reader.ReadBytes(length);
            if (json.Length < length) throw new CheckpointException(path, $"truncated or corrupt {kind} header");
            return DeserializeHeader<T>(json, path, kind).Header;
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointException(path, $"truncated or corrupt {kind} ({e.Message})");
        }
    }

    public static bool StartsWith(string path, byte[] magic)
    {
        if (!File.Exists(path)) return false;
        using var stream = File.OpenRead(path);
        Span<byte> start = stackalloc byte[magic.Length];
        return stream.Read(start) == magic.Length && start.SequenceEqual(magic);
    }

    public static bool StartsWith(byte[] bytes, byte[] magic) => bytes.AsSpan().StartsWith(magic);

    private static byte[] HeaderJson<T>(T header)
    {
        var json = JsonSerializer.SerializeToNode(header, JsonOptions)!.AsObject();
        json[ChecksumEntry] = ChecksumAlgorithm;
        return JsonSerializer.SerializeToUtf8Bytes(json, JsonOptions);
    }

    private static (T Header, string? Checksum) DeserializeHeader<T>(ReadOnlySpan<byte> json, string path, string kind) where T : class
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject entries)
                throw new CheckpointException(path, $"corrupt {kind} header (not a JSON object)");
            string? checksum = entries[ChecksumEntry]?.GetValue<string>();
            entries.Remove(ChecksumEntry);
            var header = entries.Deserialize<T>(JsonOptions) ?? throw new CheckpointException(path, $"empty {kind} header");
            return (header, checksum);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new CheckpointException(path, $"truncated or corrupt {kind} ({e.Message})");
        }
        catch (Exception e) when (e is RetiredSettingException or SettingException)
        {
            throw new CheckpointException(path, e.Message);
        }
    }
}

/// <summary>A crnngan binary file read whole: its header and its tensors, in memory.</summary>
/// <param name="Checksummed">False for a file written before checksums, which could not be verified.</param>
public sealed record HeaderedFileContent<T>(T Header, ArraySegment<byte> Tensors, bool Checksummed)
{
    /// <summary>A reader over the tensors, to load them with TorchSharp's <c>load(BinaryReader)</c>.</summary>
    public BinaryReader OpenTensors() => new(new MemoryStream(Tensors.Array!, Tensors.Offset, Tensors.Count, writable: false));
}
