using System.Buffers.Binary;
using System.Diagnostics;
using CrnnGan.Midi;
using static CrnnGan.Tests.Midi.SmfBuilder;

namespace CrnnGan.Tests.Midi;

/// <summary>One hostile input for <see cref="MidiFileReader"/>.</summary>
internal sealed record FuzzCase(string Name, byte[] Data);

internal enum FuzzOutcomeKind { Read, Rejected, Crash, Hang, TooMuchMemory }

/// <summary>What reading one case did. <see cref="Detail"/> is the rejection reason or the crash.</summary>
internal sealed record FuzzOutcome(FuzzCase Case, FuzzOutcomeKind Kind, string Detail, TimeSpan Elapsed, long AllocatedBytes, int Notes);

/// <summary>
/// Hostile MIDI files made from valid ones built in code: every truncation, targeted corruptions of chunk
/// lengths, header fields, variable-length numbers, running status, meta and sysex lengths, and seeded random
/// mutations (bit flips, insertions, deletions, overwrites, splices). Shared by the fuzz test and the
/// <c>midi-fuzz</c> bench command.
/// </summary>
internal static class MidiFuzzCases
{
    /// <summary>The largest variable-length number (2^28 - 1), as four bytes.</summary>
    public static readonly byte[] MaxVarLen = [0xFF, 0xFF, 0xFF, 0x7F];

    /// <summary>A five-byte variable-length number: one byte longer than the spec allows.</summary>
    public static readonly byte[] OverlongVarLen = [0x81, 0x80, 0x80, 0x80, 0x00];

    public static IEnumerable<FuzzCase> All(int randomCases, int seed) => Targeted().Concat(Random(randomCases, seed));

    /// <summary>Valid files the mutations start from; every one reads without error.</summary>
    public static IReadOnlyList<FuzzCase> Bases()
    {
        byte[] sysex = [0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7];
        byte[] escape = [0x00, 0xF7, 0x02, 0xF3, 0x01];
        byte[] controllers = [0x00, 0xB0, 0x07, 0x64, 0x00, 0xC0, 0x05, 0x00, 0xE0, 0x00, 0x40, 0x00, 0xD0, 0x30, 0x00, 0xA0, 0x3C, 0x20];
        byte[] type0 = Smf(0, 96, Events(
            Meta(0, 0x03, "Piano"u8.ToArray()), Tempo(0, 500_000), TimeSignature(0, 3, 2), Meta(0, 0x59, 0xFD, 0x00),
            sysex, escape, controllers,
            On(0, 60, 100), Running(0, 64, 90), Running(0, 67, 80), Running(96, 60, 0), Running(0, 64, 0), Running(0, 67, 0),
            On(10, 62, 70, channel: 9), Off(50, 62, channel: 9), Meta(5, 0x01, 0x41, 0x42), On(0, 72, 127), Off(200, 72)));
        byte[] type1 = Smf(1, 480,
            Events(Tempo(0, 600_000), TimeSignature(0, 4, 2), Tempo(1920, 400_000)),
            Events(On(0, 48, 70), Off(480, 48), On(0, 50, 70), Off(480, 50), On(240, 52, 60), Running(240, 52, 0)),
            Events(On(120, 72, 80), On(0, 76, 80, channel: 1), Off(360, 72), Off(0, 76, channel: 1), On(0, 79, 90)));
        byte[] type2 = Smf(2, 120,
            Events(On(0, 60, 100), Off(120, 60)),
            Events(Tempo(0, 300_000), On(0, 62, 100), Off(60, 62)));
        byte[] smpte = Smf(0, 0xE728, Events(Tempo(0, 300_000), On(0, 60, 100), Off(500, 60), On(0, 61, 100), Off(250, 61)));
        byte[] foreign = Concat(
            Header(1, 1, 96),
            Chunk("XFIH", [1, 2, 3]),
            Track(Events(On(0, 60, 100), Off(10, 60))),
            Track(Events(On(0, 62, 100), Off(10, 62))),
            [0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A]);

        var random = new Random(1);
        var notes = Enumerable.Range(0, 24)
            .Select(i => new Note(i * 96 + random.Next(0, 48), random.Next(0, 400), random.Next(30, 90), random.Next(1, 128), random.Next(0, 3)))
            .ToArray();
        byte[] written = MidiFileWriter.ToBytes(notes, ticksPerQuarter: 192);

        return
        [
            new("type0", type0), new("type1", type1), new("type2", type2), new("smpte", smpte), new("rmid", Rmid(type0)),
            new("foreign-chunk", foreign), new("written", written),
        ];
    }

    /// <summary>Deterministic hostile cases: every truncation of every base, then corruptions aimed at each field.</summary>
    public static IEnumerable<FuzzCase> Targeted()
    {
        var bases = Bases();
        foreach (var b in bases)
        {
            yield return b;
            for (int length = 0; length < b.Data.Length; length++)
                yield return new($"{b.Name} cut at {length}", b.Data[..length]);
        }

        byte[] type1 = bases.Single(b => b.Name == "type1").Data;
        byte[] note = Events(On(0, 60, 100), Off(96, 60));

        // Chunk lengths past the end of the file, up to int and uint maxima.
        uint[] lengths = [0, 1, 5, (uint)type1.Length, (uint)type1.Length + 1, 0x7FFFFFF7, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF7, 0xFFFFFFFF];
        foreach (int at in ChunkOffsets(type1))
        {
            foreach (uint length in lengths)
                yield return new($"type1 chunk at {at} length {length}", WithUInt32(type1, at + 4, length));
        }
        foreach (uint length in lengths)
            yield return new($"RIFF data chunk length {length}", WithRiffDataLength(Rmid(type1), length));
        yield return new("RIFF chunk sizes near uint max", Concat("RIFF"u8.ToArray(), [0xFF, 0xFF, 0xFF, 0xFF], "RMID"u8.ToArray(),
            "LIST"u8.ToArray(), [0xFE, 0xFF, 0xFF, 0xFF], [1, 2, 3, 4]));
        yield return new("RIFF without data chunk", Concat("RIFF"u8.ToArray(), [4, 0, 0, 0], "RMID"u8.ToArray()));
        yield return new("RIFF alone", "RIFF"u8.ToArray());

        // Header fields: division, format, track count.
        foreach (int division in new[] { 0, 1, 0x7FFF, 0x8000, 0x80FF, 0xE250, 0xE728, 0xE800, 0xFF01, 0xFFFF, 0x7F00 })
            yield return new($"division 0x{division:X4}", WithUInt16(type1, 12, (ushort)division));
        foreach (int format in new[] { 2, 3, 0x7FFF, 0xFFFF })
            yield return new($"format {format}", WithUInt16(type1, 8, (ushort)format));
        foreach (int count in new[] { 0, 1, 2, 4, 0xFFFF })
        {
            yield return new($"track count {count}, 3 tracks", WithUInt16(type1, 10, (ushort)count));
            yield return new($"track count {count}, no tracks", Header(1, count, 96));
        }
        foreach (uint length in new uint[] { 0, 5, 7, 100, 0x7FFFFFFF, 0xFFFFFFFF })
            yield return new($"header length {length}", WithUInt32(type1, 4, length));
        yield return new("type 2, many tracks", Smf(2, 96, Enumerable.Repeat(note, 200).ToArray()));
        yield return new("type 2, 65535 empty tracks", Smf(2, 96, Enumerable.Repeat(Array.Empty<byte>(), 0xFFFF).ToArray()));
        yield return new("empty file", []);
        yield return new("MThd only", "MThd"u8.ToArray());

        // Delta times: the largest legal variable-length number, many in a row, and over-long or unterminated ones.
        yield return new("max delta", Smf(0, 96, Events(Concat(MaxVarLen, [0x90, 60, 100]), Concat(MaxVarLen, [0x80, 60, 64]))));
        yield return new("100000 max deltas", Smf(1, 96, Concat(Enumerable.Repeat(Concat(MaxVarLen, [0x90, 60, 100]), 100_000).ToArray())));
        yield return new("max deltas in type 2", Smf(2, 96, Concat(MaxVarLen, [0x90, 60, 100]), Concat(MaxVarLen, [0x90, 61, 100])));
        yield return new("5-byte delta", Smf(0, 96, Events(Concat(OverlongVarLen, [0x90, 60, 100]))));
        yield return new("5-byte zero delta", Smf(0, 96, Events([0x80, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 100])));
        yield return new("unterminated delta", Concat(Header(0, 1, 96), Chunk("MTrk", [0xFF, 0xFF])));

        // Running status with no status before it, also after meta and sysex events.
        yield return new("running status first", Smf(0, 96, Events(Running(0, 60, 100), Running(10, 60, 0))));
        yield return new("running status after meta", Smf(0, 96, Events(Tempo(0, 500_000), Running(0, 60, 100))));
        yield return new("running status after sysex", Smf(0, 96, Events([0x00, 0xF0, 0x01, 0xF7], Running(0, 60, 100))));

        // Meta events and sysex with absurd lengths, and meta events with odd contents.
        foreach (byte[] length in new[] { MaxVarLen, OverlongVarLen, [0x8F, 0xFF, 0xFF, 0x7F], [0x7F], [0x81, 0x00] })
        {
            string hex = Convert.ToHexString(length);
            yield return new($"meta text length {hex}", Smf(0, 96, Events(Concat([0x00, 0xFF, 0x01], length, [0x41]), note)));
            yield return new($"meta tempo length {hex}", Smf(0, 96, Events(Concat([0x00, 0xFF, 0x51], length, [0x07, 0xA1, 0x20]), note)));
            yield return new($"sysex length {hex}", Smf(0, 96, Events(Concat([0x00, 0xF0], length, [0x7E, 0xF7]), note)));
            yield return new($"sysex escape length {hex}", Smf(0, 96, Events(Concat([0x00, 0xF7], length, [0x7E]), note)));
        }
        yield return new("meta type missing", Concat(Header(0, 1, 96), Chunk("MTrk", [0x00, 0xFF])));
        yield return new("zero tempo", Smf(0, 96, Events(Tempo(0, 0), note)));
        yield return new("short tempo", Smf(0, 96, Events(Meta(0, 0x51, 0x07), note)));
        yield return new("time signature 0/2^255", Smf(0, 96, Events(Meta(0, 0x58, 0, 0xFF, 0, 0), note)));
        yield return new("end of track with payload", Smf(0, 96, Events(Meta(0, 0x2F, 1, 2, 3), note)));
        yield return new("system common and real-time bytes", Smf(0, 96, Events(
            [0x00, 0xF1, 0x10, 0x00, 0xF2, 0x10, 0x20, 0x00, 0xF3, 0x01, 0x00, 0xF4, 0x00, 0xF6, 0x00, 0xF8, 0x00, 0xFE], note)));
        yield return new("data bytes above 127", Smf(0, 96, Events([0x00, 0x90, 0xBC, 0xE4, 0x00, 0x80, 0x3C, 0xFF], note)));
    }

    /// <summary>Seeded random mutations of the bases: each case applies one to four of them.</summary>
    public static IEnumerable<FuzzCase> Random(int count, int seed)
    {
        var bases = Bases();
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var b = bases[random.Next(bases.Count)];
            var data = new List<byte>(b.Data);
            var applied = new List<string>();
            int mutations = random.Next(1, 5);
            for (int m = 0; m < mutations; m++)
                applied.Add(Mutate(data, random, bases));
            yield return new($"random {i} ({b.Name}: {string.Join(", ", applied)})", data.ToArray());
        }
    }

    private static readonly byte[][] Splinters =
    [
        MaxVarLen, OverlongVarLen, [0xFF, 0x01, 0x8F, 0xFF, 0xFF, 0x7F], [0xF0, 0x8F, 0xFF, 0xFF, 0x7F], [0xFF, 0x2F, 0x00],
        [0x3C, 0x64], [0x90], [0xFF], [0x80, 0x80, 0x80], "MTrk"u8.ToArray(), "MThd"u8.ToArray(), [0x7F, 0xFF, 0xFF, 0xFF],
        [0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x00, 0x00],
    ];

    private static string Mutate(List<byte> data, Random random, IReadOnlyList<FuzzCase> bases)
    {
        int At(int extra = 0) => random.Next(data.Count + extra);
        switch (data.Count == 0 ? 2 : random.Next(9))
        {
            case 0:
            {
                int at = At(), bit = random.Next(8);
                data[at] ^= (byte)(1 << bit);
                return $"flip bit {bit} at {at}";
            }
            case 1:
            {
                int at = At();
                byte value = (byte)random.Next(256);
                data[at] = value;
                return $"set {at} to 0x{value:X2}";
            }
            case 2:
            {
                int at = At(1);
                byte value = (byte)random.Next(256);
                data.Insert(at, value);
                return $"insert 0x{value:X2} at {at}";
            }
            case 3:
            {
                int at = At(), count = Math.Min(random.Next(1, 9), data.Count - at);
                data.RemoveRange(at, count);
                return $"delete {count} at {at}";
            }
            case 4:
            {
                int at = At();
                data.RemoveRange(at, data.Count - at);
                return $"cut at {at}";
            }
            case 5:
            {
                int at = At(1);
                byte[] splinter = Splinters[random.Next(Splinters.Length)];
                data.InsertRange(at, splinter);
                return $"insert {Convert.ToHexString(splinter)} at {at}";
            }
            case 6:
            {
                int at = At();
                byte[] splinter = Splinters[random.Next(Splinters.Length)];
                for (int k = 0; k < splinter.Length && at + k < data.Count; k++)
                    data[at + k] = splinter[k];
                return $"overwrite {Convert.ToHexString(splinter)} at {at}";
            }
            case 7:
            {
                int from = At(), count = Math.Min(random.Next(1, 64), data.Count - from), to = At(1);
                data.InsertRange(to, data.GetRange(from, count));
                return $"copy {count} from {from} to {to}";
            }
            default:
            {
                var other = bases[random.Next(bases.Count)].Data;
                int from = random.Next(other.Length), count = Math.Min(random.Next(1, 64), other.Length - from), to = At(1);
                data.InsertRange(to, other.AsSpan(from, count).ToArray());
                return $"splice {count} foreign bytes at {to}";
            }
        }
    }

    /// <summary>A type-0 file of <paramref name="count"/> notes (note-on, then note-on velocity 0 by running status).</summary>
    public static byte[] ManyNotes(int count)
    {
        var body = new MemoryStream(count * 6 + 8);
        body.Write([0x00, 0x90, 60, 100]);
        body.Write([0x10, 60, 0]);
        for (int i = 1; i < count; i++)
        {
            byte pitch = (byte)(36 + i % 48);
            body.Write([0x00, pitch, (byte)(1 + i % 127)]);
            body.Write([(byte)(1 + i % 100), pitch, 0]);
        }
        body.Write(EndOfTrack);
        return Concat(Header(0, 1, 480), Chunk("MTrk", body.ToArray()));
    }

    private static IEnumerable<int> ChunkOffsets(byte[] smf)
    {
        for (int at = 0; at + 8 <= smf.Length;)
        {
            yield return at;
            at += 8 + (int)BinaryPrimitives.ReadUInt32BigEndian(smf.AsSpan(at + 4));
        }
    }

    private static byte[] WithUInt32(byte[] data, int at, uint value)
    {
        byte[] copy = (byte[])data.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at), value);
        return copy;
    }

    private static byte[] WithUInt16(byte[] data, int at, ushort value)
    {
        byte[] copy = (byte[])data.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at), value);
        return copy;
    }

    private static byte[] WithRiffDataLength(byte[] rmid, uint length)
    {
        byte[] copy = (byte[])rmid.Clone();
        int at = copy.AsSpan().IndexOf("data"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at + 4), length);
        return copy;
    }
}

/// <summary>Reads fuzz cases one at a time on a thread of their own, with a time limit and an allocation count.</summary>
internal static class MidiFuzzRunner
{
    /// <summary>
    /// What reading may allocate: the file's bytes many times over for the parse (a note message costs ~32 bytes
    /// and needs at least 3 bytes of input), plus a fixed allowance, plus what the notes read need themselves
    /// (notes, pairing and sorting them). A small file that declares huge sizes therefore gets a small limit.
    /// </summary>
    public static long AllowedBytes(int fileLength, int notes) => 64L * fileLength + 256 * 1024 + 256L * notes;

    public static FuzzOutcome Run(FuzzCase fuzzCase, TimeSpan timeout, bool checkSong = true)
    {
        FuzzOutcome? outcome = null;
        var thread = new Thread(() => outcome = ReadOnThisThread(fuzzCase, checkSong)) { IsBackground = true, Name = "midi fuzz case" };
        var clock = Stopwatch.StartNew();
        thread.Start();
        if (!thread.Join(timeout))
            return new FuzzOutcome(fuzzCase, FuzzOutcomeKind.Hang, $"still running after {timeout.TotalSeconds:F0} s", clock.Elapsed, 0, 0);
        return outcome!;
    }

    private static FuzzOutcome ReadOnThisThread(FuzzCase fuzzCase, bool checkSong)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        MidiSong song;
        try
        {
            song = MidiFileReader.Read(fuzzCase.Data, "fuzz.mid");
        }
        catch (MidiReadException e)
        {
            var elapsed = clock.Elapsed;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // The reader wraps anything it did not expect as "unexpected error"; for the fuzz that is a crash.
            bool expected = e.InnerException is null or InvalidDataException && !string.IsNullOrWhiteSpace(e.Reason);
            return new FuzzOutcome(fuzzCase, expected ? FuzzOutcomeKind.Rejected : FuzzOutcomeKind.Crash,
                expected ? e.Reason : $"{e.Reason} [{e.InnerException?.GetType().Name}]", elapsed, allocated, 0);
        }
        catch (Exception e)
        {
            return new FuzzOutcome(fuzzCase, FuzzOutcomeKind.Crash, $"{e.GetType().Name}: {e.Message}", clock.Elapsed, 0, 0);
        }
        var readTime = clock.Elapsed;
        long readAllocated = GC.GetAllocatedBytesForCurrentThread() - before;

        if (readAllocated > AllowedBytes(fuzzCase.Data.Length, song.Notes.Count))
        {
            return new FuzzOutcome(fuzzCase, FuzzOutcomeKind.TooMuchMemory,
                $"allocated {readAllocated:N0} bytes for a {fuzzCase.Data.Length:N0}-byte file with {song.Notes.Count:N0} notes",
                readTime, readAllocated, song.Notes.Count);
        }
        if (checkSong && CheckSong(song) is string problem)
            return new FuzzOutcome(fuzzCase, FuzzOutcomeKind.Crash, problem, readTime, readAllocated, song.Notes.Count);
        return new FuzzOutcome(fuzzCase, FuzzOutcomeKind.Read, "", readTime, readAllocated, song.Notes.Count);
    }

    /// <summary>A song read must be sane and must survive what stats and train do with it.</summary>
    private static string? CheckSong(MidiSong song)
    {
        if (song.TicksPerQuarter <= 0)
            return $"ticks per quarter {song.TicksPerQuarter}";
        foreach (var n in song.Notes)
        {
            if (n.Pitch is < 0 or > 127 || n.Velocity is < 1 or > 127 || n.Channel is < 0 or > 15 || n.StartTick < 0 || n.LengthTicks < 0)
                return $"bad note {n}";
        }
        if (song.Tempos.Any(t => t.MicrosecondsPerQuarter <= 0))
            return "tempo of 0 microseconds per quarter";
        try
        {
            CrnnGan.Evaluation.SongStatistics.Compute(song);
            CrnnGan.Data.EventCodec.Encode(song, tonesPerCell: 1);
            CrnnGan.Data.EventCodec.Encode(song, tonesPerCell: 3);
        }
        catch (Exception e)
        {
            return $"a song read breaks its use: {e.GetType().Name}: {e.Message}";
        }
        return null;
    }
}
