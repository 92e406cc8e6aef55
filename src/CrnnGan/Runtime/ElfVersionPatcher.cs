using System.Buffers.Binary;
using System.Text;

namespace CrnnGan.Runtime;

/// <summary>
/// Marks symbol-version requirements of an ELF64 little-endian shared object as weak
/// (VER_FLG_WEAK in their Vernaux entries of <c>.gnu.version_r</c>), so the dynamic loader
/// no longer refuses the file when the system library lacks that version.
/// </summary>
public static class ElfVersionPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The version names the file requires from <paramref name="library"/> (e.g. "libstdc++.so.6").</summary>
    public static IReadOnlyList<string> RequiredVersions(byte[] elf, string library)
    {
        var names = new List<string>();
        ForEachRequirement(elf, (file, version, _) =>
        {
            if (file == library) names.Add(version);
        });
        return names;
    }

    /// <summary>Sets the weak flag on each requirement whose version name is in <paramref name="versions"/>. Returns how many entries changed.</summary>
    public static int MarkWeak(byte[] elf, IReadOnlySet<string> versions)
    {
        int changed = 0;
        ForEachRequirement(elf, (_, version, flagsOffset) =>
        {
            if (!versions.Contains(version)) return;
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(flagsOffset));
            if ((flags & VerFlgWeak) != 0) return;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(flagsOffset), (ushort)(flags | VerFlgWeak));
            changed++;
        });
        return changed;
    }

    /// <summary>Calls <paramref name="visit"/>(needed file, version name, file offset of vna_flags) for every Vernaux entry.</summary>
    private static void ForEachRequirement(byte[] elf, Action<string, string, int> visit)
    {
        var span = elf.AsSpan();
        if (elf.Length < 64 || span[0] != 0x7f || span[1] != (byte)'E' || span[2] != (byte)'L' || span[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (span[4] != 2 || span[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");

        long sectionHeaders = BinaryPrimitives.ReadInt64LittleEndian(span[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);

        for (int s = 0; s < count; s++)
        {
            var header = span.Slice(checked((int)(sectionHeaders + (long)s * entrySize)), entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed) continue;

            int offset = checked((int)BinaryPrimitives.ReadInt64LittleEndian(header[0x18..]));
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            int entries = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]); // sh_info: number of Verneed entries
            var strtabHeader = span.Slice(checked((int)(sectionHeaders + (long)link * entrySize)), entrySize);
            int strtab = checked((int)BinaryPrimitives.ReadInt64LittleEndian(strtabHeader[0x18..]));

            int verneed = offset;
            for (int n = 0; n < entries; n++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(verneed + 2)..]);
                string file = ReadString(span, strtab + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(verneed + 4)..]));
                int aux = verneed + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(verneed + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    string version = ReadString(span, strtab + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 8)..]));
                    visit(file, version, aux + 4);
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 12)..]);
                }
                int next = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(verneed + 12)..]);
                if (next == 0) break;
                verneed += next;
            }
        }
    }

    private static string ReadString(ReadOnlySpan<byte> span, int offset)
    {
        int end = span[offset..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(span.Slice(offset, end));
    }
}
