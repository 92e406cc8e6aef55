using System.Buffers.Binary;

namespace CrnnGan.Midi;

/// <summary>Bounds-checked big-endian reading of a byte range; overruns raise <see cref="InvalidDataException"/>.</summary>
internal struct ByteCursor(byte[] data, int position, int end)
{
    public byte[] Data { get; } = data;
    public int Position { get; private set; } = position;
    public int End { get; } = end;
    public readonly int Remaining => End - Position;

    public readonly byte Peek()
    {
        Require(1);
        return Data[Position];
    }

    public byte ReadByte()
    {
        Require(1);
        return Data[Position++];
    }

    public ushort ReadUInt16()
    {
        Require(2);
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(Data.AsSpan(Position));
        Position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Require(4);
        uint value = BinaryPrimitives.ReadUInt32BigEndian(Data.AsSpan(Position));
        Position += 4;
        return value;
    }

    /// <summary>A variable-length quantity. The spec allows four bytes at most; longer ones are rejected.</summary>
    public int ReadVarLen()
    {
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            byte b = ReadByte();
            value = (value << 7) | (b & 0x7F);
            if (b < 0x80)
                return value;
        }
        throw new InvalidDataException($"variable-length number longer than 4 bytes at byte {Position - 4}");
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Require(count);
        var span = Data.AsSpan(Position, count);
        Position += count;
        return span;
    }

    public void Skip(int count)
    {
        Require(count);
        Position += count;
    }

    private readonly void Require(int count)
    {
        if (count < 0 || count > Remaining)
            throw new InvalidDataException($"unexpected end of data at byte {Position} (needed {count}, {Remaining} left)");
    }
}
