using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CrnnGan.IO;

namespace CrnnGan.Tests.IO;

/// <summary>
/// Edits the bytes of a crnngan binary file (checkpoint or generator file) as a test needs: its JSON header, with the
/// SHA-256 trailer written anew for the edit (so the file tests what the header says, not the checksum), or a file
/// as crnngan wrote it before checksums.
/// </summary>
internal static class HeaderedBytes
{
    private const int MagicLength = 8;

    public static JsonNode Header(byte[] file) => JsonNode.Parse(file.AsSpan(MagicLength + 4, HeaderLength(file)))!;

    /// <summary>The file with its header edited, its checksum trailer (if it has one) renewed.</summary>
    public static byte[] EditHeader(byte[] file, Action<JsonNode> edit)
    {
        var header = Header(file);
        edit(header);
        bool trailer = HasTrailer(file);
        return Frame(file.AsSpan(0, MagicLength), header, Tensors(file), trailer);
    }

    /// <summary>The file as crnngan wrote it before checksums: no Checksum entry in the header, no trailer.</summary>
    public static byte[] WithoutChecksum(byte[] file)
    {
        var header = Header(file).AsObject();
        header.Remove(HeaderedFile.ChecksumEntry);
        return Frame(file.AsSpan(0, MagicLength), header, Tensors(file), trailer: false);
    }

    public static bool HasTrailer(byte[] file) => Header(file)[HeaderedFile.ChecksumEntry] is not null;

    /// <summary>Where the tensors start: after the magic, the length and the header.</summary>
    public static int TensorsStart(byte[] file) => MagicLength + 4 + HeaderLength(file);

    private static int HeaderLength(byte[] file) => BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(MagicLength, 4));

    private static byte[] Tensors(byte[] file)
    {
        int end = HasTrailer(file) ? file.Length - HeaderedFile.TrailerLength : file.Length;
        return file[TensorsStart(file)..end];
    }

    private static byte[] Frame(ReadOnlySpan<byte> magic, JsonNode header, byte[] tensors, bool trailer)
    {
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        using var stream = new MemoryStream();
        stream.Write(magic);
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, json.Length);
        stream.Write(size);
        stream.Write(json);
        stream.Write(tensors);
        if (trailer)
        {
            stream.Write(SHA256.HashData(stream.ToArray()));
            stream.Write("SHA-256\n"u8);
        }
        return stream.ToArray();
    }
}
