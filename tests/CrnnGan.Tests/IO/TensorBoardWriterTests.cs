using System.Buffers.Binary;
using System.Text;
using CrnnGan.Reports;
using CrnnGan.IO.TensorBoard;
using CrnnGan.Tests.Reports;

namespace CrnnGan.Tests.IO;

public sealed class TensorBoardWriterTests
{
    [Fact]
    public void Crc32C_MatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Fact]
    public void EventFile_ReadsBackAsTheScalarsWritten()
    {
        using var folder = new CrnnGan.Tests.Cli.TempFolder();
        string path;
        using (var writer = new TensorBoardWriter(folder.Path))
        {
            path = writer.FilePath;
            writer.AddScalars(1, [("loss/mse", 0.5), ("loss/g", double.NaN)]);
            writer.AddScalar("loss/g", 0.69, 2);
        }

        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(path));
        var events = TfEvents.Read(path);
        Assert.Equal(3, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(1L, events[1].Step);
        Assert.Equal([("loss/mse", 0.5f)], events[1].Scalars);
        Assert.Equal(2L, events[2].Step);
        Assert.Equal([("loss/g", 0.69f)], events[2].Scalars);
        Assert.All(events, e => Assert.InRange(e.WallTime, 1.5e9, 1e10)); // seconds since 1970, not ticks
    }

    [Fact]
    public void TrainingLog_HasTheLossesAndMeanStatisticsOfEachEpochAtItsNumber()
    {
        using var folder = new CrnnGan.Tests.Cli.TempFolder();
        var history = RunFixtures.History(adversarial: 1);
        string path;
        using (var log = new TrainingTensorBoardLog(folder.Path))
        {
            path = log.FilePath;
            foreach (var record in history) log.Add(record);
        }

        var events = TfEvents.Read(path).Skip(1).ToList();
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Step));
        var pretraining = events[0].Scalars.ToDictionary(s => s.Tag, s => s.Value);
        Assert.Equal((float)history[0].MseLoss, pretraining["loss/mse"]);
        Assert.Equal((float)history[0].ValidationMse, pretraining["val/mse"]);
        Assert.False(pretraining.ContainsKey("loss/g"));
        Assert.Equal(4f, pretraining["stats/tone_span"]);
        var adversarial = events[2].Scalars.ToDictionary(s => s.Tag, s => s.Value);
        Assert.Equal((float)history[2].GeneratorLoss, adversarial["loss/g"]);
        Assert.Equal((float)history[2].DiscriminatorLoss, adversarial["loss/d"]);
        Assert.Equal(0.9f, adversarial["stats/scale_consistency"]);
    }

    /// <summary>A reader of TFRecord files of Event messages, independent of the writer: it checks both CRCs of every record.</summary>
    private static class TfEvents
    {
        public sealed record Event(double WallTime, long Step, string? FileVersion, List<(string Tag, float Value)> Scalars);

        public static List<Event> Read(string path)
        {
            byte[] bytes = File.ReadAllBytes(path);
            var events = new List<Event>();
            for (int at = 0; at < bytes.Length;)
            {
                ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
                Assert.Equal(Crc32C.Masked(bytes.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));
                var data = bytes.AsSpan(at + 12, (int)length);
                Assert.Equal(Crc32C.Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length)));
                events.Add(ParseEvent(data.ToArray()));
                at += 12 + (int)length + 4;
            }
            return events;
        }

        private static Event ParseEvent(byte[] data)
        {
            double wallTime = 0;
            long step = 0;
            string? version = null;
            var scalars = new List<(string, float)>();
            foreach (var (field, value) in Fields(data))
            {
                switch (field)
                {
                    case 1: wallTime = BitConverter.Int64BitsToDouble((long)(ulong)value); break;
                    case 2: step = (long)(ulong)value; break;
                    case 3: version = Encoding.UTF8.GetString((byte[])value); break;
                    case 5:
                        foreach (var (summaryField, entry) in Fields((byte[])value))
                        {
                            Assert.Equal(1, summaryField);
                            string tag = "";
                            float number = float.NaN;
                            foreach (var (valueField, content) in Fields((byte[])entry))
                            {
                                if (valueField == 1) tag = Encoding.UTF8.GetString((byte[])content);
                                if (valueField == 2) number = BitConverter.Int32BitsToSingle((int)(uint)content);
                            }
                            scalars.Add((tag, number));
                        }
                        break;
                }
            }
            return new Event(wallTime, step, version, scalars);
        }

        /// <summary>(field number, value): ulong for varints and fixed64, uint for fixed32, byte[] for length-delimited.</summary>
        private static IEnumerable<(int Field, object Value)> Fields(byte[] data)
        {
            int at = 0;
            while (at < data.Length)
            {
                ulong key = Varint(data, ref at);
                int field = (int)(key >> 3);
                switch ((int)(key & 7))
                {
                    case 0: yield return (field, Varint(data, ref at)); break;
                    case 1: yield return (field, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at))); at += 8; break;
                    case 2:
                        int length = (int)Varint(data, ref at);
                        yield return (field, data[at..(at + length)]);
                        at += length;
                        break;
                    case 5: yield return (field, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at))); at += 4; break;
                    default: throw new InvalidDataException($"wire type {key & 7}");
                }
            }
        }

        private static ulong Varint(byte[] data, ref int at)
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = data[at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
        }
    }
}
