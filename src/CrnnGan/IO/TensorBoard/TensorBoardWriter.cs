using System.Buffers.Binary;
using System.Text;

namespace CrnnGan.IO.TensorBoard;

/// <summary>
/// Writes scalars to a TensorBoard event file (<c>events.out.tfevents.*</c>) in a folder: TFRecord records (length,
/// masked CRC-32C of the length, an Event protocol buffer, masked CRC-32C of it), the first holding the file version.
/// Each call appends and flushes, so TensorBoard sees every epoch as it ends. A new writer starts a new file; TensorBoard
/// reads all files of a folder.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    private static int _filesOpened;
    private readonly FileStream _stream;

    public TensorBoardWriter(string folder)
    {
        Directory.CreateDirectory(folder);
        double now = UnixSeconds();
        FilePath = Path.Combine(folder, $"events.out.tfevents.{(long)now}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref _filesOpened)}.crnngan");
        _stream = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        WriteRecord(EventProto.FileVersion(now));
    }

    public string FilePath { get; }

    /// <summary>One event at <paramref name="step"/> holding every (tag, value) pair; non-finite values are left out.</summary>
    public void AddScalars(long step, IEnumerable<(string Tag, double Value)> scalars)
    {
        var finite = scalars.Where(s => double.IsFinite(s.Value)).ToList();
        if (finite.Count == 0) return;
        WriteRecord(EventProto.Scalars(UnixSeconds(), step, finite));
    }

    public void AddScalar(string tag, double value, long step) => AddScalars(step, [(tag, value)]);

    private void WriteRecord(byte[] data)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)data.Length);
        Span<byte> crc = stackalloc byte[4];
        _stream.Write(length);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C.Masked(length));
        _stream.Write(crc);
        _stream.Write(data);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C.Masked(data));
        _stream.Write(crc);
        _stream.Flush();
    }

    private static double UnixSeconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    public void Dispose() => _stream.Dispose();
}

/// <summary>The few fields of TensorFlow's Event and Summary messages that scalars need, encoded by hand.</summary>
internal static class EventProto
{
    // Event: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string), summary = 5 (Summary).
    // Summary: value = 1 (repeated Value). Value: tag = 1 (string), simple_value = 2 (float).
    public static byte[] FileVersion(double wallTime)
    {
        var proto = new ProtoWriter();
        proto.Double(1, wallTime);
        proto.String(3, "brain.Event:2");
        return proto.ToArray();
    }

    public static byte[] Scalars(double wallTime, long step, IEnumerable<(string Tag, double Value)> scalars)
    {
        var summary = new ProtoWriter();
        foreach (var (tag, value) in scalars)
        {
            var entry = new ProtoWriter();
            entry.String(1, tag);
            entry.Float(2, (float)value);
            summary.Message(1, entry);
        }
        var proto = new ProtoWriter();
        proto.Double(1, wallTime);
        proto.Varint(2, (ulong)step);
        proto.Message(5, summary);
        return proto.ToArray();
    }

    private sealed class ProtoWriter
    {
        private readonly MemoryStream _bytes = new();

        public void Double(int field, double value)
        {
            Tag(field, 1);
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(buffer, value);
            _bytes.Write(buffer);
        }

        public void Float(int field, float value)
        {
            Tag(field, 5);
            Span<byte> buffer = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
            _bytes.Write(buffer);
        }

        public void Varint(int field, ulong value)
        {
            Tag(field, 0);
            WriteVarint(value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _bytes.ToArray();

        private void Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            WriteVarint((ulong)value.Length);
            _bytes.Write(value);
        }

        private void Tag(int field, int wireType) => WriteVarint((ulong)(field << 3 | wireType));

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.WriteByte((byte)value);
        }
    }
}
