using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CrnnGan.Runtime;

/// <summary>
/// Reads, from an ELF64 little-endian shared object on disk, where its calls to named functions go through the PLT:
/// the address (relative to the load base) of each function's GOT slot (its <c>R_X86_64_JUMP_SLOT</c> relocation in
/// <c>.rela.plt</c>), the function's own address when the file defines it, and the file's RELRO range. Reads only the
/// headers and the sections it needs, so a large library (libtorch_cpu.so is 0.5 GB) costs a few MB of reading.
/// </summary>
public static class ElfJumpSlots
{
    private const uint RX8664JumpSlot = 7;
    private const uint PtGnuRelro = 0x6474e552;

    /// <summary>One function's slot: <see cref="SlotAddress"/> and <see cref="DefinedAt"/> are relative to the load base
    /// (DefinedAt 0: the file does not define the function).</summary>
    public sealed record Slot(string Name, ulong SlotAddress, ulong DefinedAt);

    /// <summary>The slots of <paramref name="names"/> found in <paramref name="path"/>, and the RELRO range (start, end;
    /// both 0 without one).</summary>
    public static (IReadOnlyList<Slot> Slots, ulong RelroStart, ulong RelroEnd) Read(string path, IReadOnlySet<string> names)
    {
        using var file = File.OpenHandle(path);
        var header = ReadBytes(file, 0, 64);
        if (header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
            throw new InvalidDataException($"{path} is not an ELF file");
        if (header[4] != 2 || header[5] != 1)
            throw new InvalidDataException($"{path}: only 64-bit little-endian ELF files are supported");
        var span = header.AsSpan();
        long programHeaders = BinaryPrimitives.ReadInt64LittleEndian(span[0x20..]);
        long sectionHeaders = BinaryPrimitives.ReadInt64LittleEndian(span[0x28..]);
        int programEntry = BinaryPrimitives.ReadUInt16LittleEndian(span[0x36..]);
        int programCount = BinaryPrimitives.ReadUInt16LittleEndian(span[0x38..]);
        int sectionEntry = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        int namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3E..]);

        ulong relroStart = 0, relroEnd = 0;
        var programs = ReadBytes(file, programHeaders, programEntry * programCount);
        for (int p = 0; p < programCount; p++)
        {
            var ph = programs.AsSpan(p * programEntry, programEntry);
            if (BinaryPrimitives.ReadUInt32LittleEndian(ph) != PtGnuRelro) continue;
            relroStart = BinaryPrimitives.ReadUInt64LittleEndian(ph[0x10..]);
            relroEnd = relroStart + BinaryPrimitives.ReadUInt64LittleEndian(ph[0x28..]);
        }

        var sections = ReadBytes(file, sectionHeaders, sectionEntry * sectionCount);
        (long Offset, long Size, int Link, long EntrySize) Section(int index)
        {
            var sh = sections.AsSpan(index * sectionEntry, sectionEntry);
            return (BinaryPrimitives.ReadInt64LittleEndian(sh[0x18..]), BinaryPrimitives.ReadInt64LittleEndian(sh[0x20..]),
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]), BinaryPrimitives.ReadInt64LittleEndian(sh[0x38..]));
        }
        var sectionNames = Section(namesIndex);
        var nameTable = ReadBytes(file, sectionNames.Offset, sectionNames.Size);

        var slots = new List<Slot>();
        for (int s = 0; s < sectionCount; s++)
        {
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(sections.AsSpan(s * sectionEntry));
            if (CString(nameTable, nameOffset) != ".rela.plt") continue;
            var rela = Section(s);
            var symbolSection = Section(rela.Link);
            var symbols = ReadBytes(file, symbolSection.Offset, symbolSection.Size);
            var stringSection = Section(symbolSection.Link);
            var strings = ReadBytes(file, stringSection.Offset, stringSection.Size);
            var relocations = ReadBytes(file, rela.Offset, rela.Size);
            for (long r = 0; r + 24 <= relocations.Length; r += 24)
            {
                var entry = relocations.AsSpan((int)r, 24);
                ulong info = BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
                if ((info & 0xffffffff) != RX8664JumpSlot) continue;
                var symbol = symbols.AsSpan(checked((int)(info >> 32) * 24), 24);
                string name = CString(strings, BinaryPrimitives.ReadUInt32LittleEndian(symbol));
                if (!names.Contains(name)) continue;
                slots.Add(new Slot(name, BinaryPrimitives.ReadUInt64LittleEndian(entry), BinaryPrimitives.ReadUInt64LittleEndian(symbol[8..])));
            }
        }
        return (slots, relroStart, relroEnd);
    }

    private static byte[] ReadBytes(SafeFileHandle file, long offset, long count)
    {
        var bytes = new byte[checked((int)count)];
        int done = 0;
        while (done < bytes.Length)
        {
            int read = RandomAccess.Read(file, bytes.AsSpan(done), offset + done);
            if (read == 0) throw new InvalidDataException("ELF file ends inside a header or section");
            done += read;
        }
        return bytes;
    }

    private static string CString(byte[] table, uint offset)
    {
        int end = Array.IndexOf(table, (byte)0, (int)offset);
        return Encoding.ASCII.GetString(table, (int)offset, (end < 0 ? table.Length : end) - (int)offset);
    }
}
