using CrnnGan.Midi;
using Xunit.Abstractions;

namespace CrnnGan.Tests.Midi;

/// <summary>
/// Hostile MIDI files: each must either read or raise <see cref="MidiReadException"/> with a reason, quickly and
/// without allocating far beyond its size. The bench command <c>midi-fuzz</c> runs more cases.
/// </summary>
public sealed class MidiFuzzTests(ITestOutputHelper output)
{
    private const int RandomCases = 3000;
    private const int Seed = 20161109;
    // Long enough that a starved test process on a busy machine is not taken for a hang (a real one never ends).
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void HostileFiles_ReadOrAreRejectedWithAReason_WithoutHangingOrAllocatingFarBeyondTheirSize()
    {
        var outcomes = MidiFuzzCases.All(RandomCases, Seed).Select(c => MidiFuzzRunner.Run(c, Timeout)).ToList();

        var failures = outcomes.Where(o => o.Kind is not (FuzzOutcomeKind.Read or FuzzOutcomeKind.Rejected)).ToList();
        int read = outcomes.Count(o => o.Kind == FuzzOutcomeKind.Read);
        int rejected = outcomes.Count(o => o.Kind == FuzzOutcomeKind.Rejected);
        var slowest = outcomes.MaxBy(o => o.Elapsed)!;
        output.WriteLine($"{outcomes.Count} cases: {read} read, {rejected} rejected, {failures.Count} failed; " +
                         $"slowest {slowest.Elapsed.TotalMilliseconds:F0} ms ({slowest.Case.Name})");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {outcomes.Count} cases failed:\n" +
            string.Join("\n", failures.Take(20).Select(f => $"{f.Kind}: {f.Case.Name}: {f.Detail}")));
        // Both paths must really be exercised, or the fuzz proves nothing.
        Assert.InRange(read, outcomes.Count / 20, outcomes.Count);
        Assert.InRange(rejected, outcomes.Count / 20, outcomes.Count);
        Assert.All(outcomes.Where(o => o.Kind == FuzzOutcomeKind.Rejected), o => Assert.False(string.IsNullOrWhiteSpace(o.Detail)));
    }

    [Fact]
    public void TargetedCases_AreRejectedWithTheRightReason()
    {
        static string ReasonFor(string name)
        {
            var fuzzCase = MidiFuzzCases.Targeted().Single(c => c.Name == name);
            return Assert.Throws<MidiReadException>(() => MidiFileReader.Read(fuzzCase.Data, "x.mid")).Reason;
        }

        Assert.StartsWith("truncated track 0 (chunk declares 4294967295 bytes", ReasonFor("type1 chunk at 14 length 4294967295"));
        Assert.StartsWith("truncated track 0 (chunk declares 2147483647 bytes", ReasonFor("type1 chunk at 14 length 2147483647"));
        Assert.Equal("invalid time division 0", ReasonFor("division 0x0000"));
        Assert.Equal("invalid time division 59392", ReasonFor("division 0xE800"));
        Assert.Equal("unsupported MIDI format 3", ReasonFor("format 3"));
        Assert.Equal("truncated file: header declares 65535 tracks, found 0", ReasonFor("track count 65535, no tracks"));
        Assert.StartsWith("track 0: variable-length number longer than 4 bytes", ReasonFor("5-byte delta"));
        Assert.StartsWith("track 0: data byte 0x3C without a status", ReasonFor("running status first"));
        Assert.StartsWith("track 0: unexpected end of data", ReasonFor("meta text length FFFFFF7F"));
        Assert.StartsWith("track 0: unexpected end of data", ReasonFor("sysex length FFFFFF7F"));
    }

    [Fact]
    public void TargetedCases_ThatAreReadable_ReadAsExpected()
    {
        static MidiSong Read(string name) =>
            MidiFileReader.Read(MidiFuzzCases.Targeted().Single(c => c.Name == name).Data, "x.mid");

        Assert.Equal(0x7FFF, Read("division 0x7FFF").TicksPerQuarter);
        Assert.Equal(30 * 80, Read("division 0xE250").TicksPerQuarter);
        Assert.Equal([1, 2], Read("track count 0, 3 tracks").Notes.Select(n => n.Track).Distinct().Order()); // track 0 holds tempo only
        Assert.Equal([new Note(0x0FFFFFFF, 0x0FFFFFFF, 60, 100)], Read("max delta").Notes);
        var maxDeltas = Read("100000 max deltas");
        Assert.Equal(100_000, maxDeltas.Notes.Count);
        Assert.Equal(100_000L * 0x0FFFFFFF, maxDeltas.Notes.Max(n => n.StartTick));
        Assert.Equal([new Note(0x0FFFFFFF, 96, 60, 100, 0, 0), new Note(2L * 0x0FFFFFFF, 96, 61, 100, 0, 1)],
            Read("max deltas in type 2").Notes);
        Assert.Empty(Read("type 2, 65535 empty tracks").Notes);
        Assert.Equal(200, Read("type 2, many tracks").Notes.Count);
        Assert.Equal([new Note(0, 96, 60, 100)], Read("zero tempo").Notes);
        Assert.Empty(Read("zero tempo").Tempos);
        Assert.Equal([new Note(0, 96, 60, 100)], Read("system common and real-time bytes").Notes);
    }

    [Fact]
    public void TinyFilesDeclaringHugeSizes_AllocateLittle()
    {
        string[] names =
        [
            "track count 65535, no tracks", "track count 65535, 3 tracks", "type1 chunk at 14 length 4294967295",
            "header length 4294967295", "meta text length 8FFFFF7F", "sysex length 8FFFFF7F", "RIFF data chunk length 4294967295",
        ];
        foreach (string name in names)
        {
            var outcome = MidiFuzzRunner.Run(MidiFuzzCases.Targeted().Single(c => c.Name == name), Timeout);
            Assert.True(outcome.Kind is FuzzOutcomeKind.Read or FuzzOutcomeKind.Rejected, $"{name}: {outcome.Kind} {outcome.Detail}");
            Assert.True(outcome.AllocatedBytes < 64 * 1024, $"{name}: allocated {outcome.AllocatedBytes:N0} bytes for {outcome.Case.Data.Length} bytes");
        }
    }

    [Fact]
    public void AMillionNotes_AreAllRead()
    {
        var fuzzCase = new FuzzCase("a million notes", MidiFuzzCases.ManyNotes(1_000_000));

        // The timeout only tells a hang from a slow read on a busy machine; how fast reading is, bench/ measures.
        var outcome = MidiFuzzRunner.Run(fuzzCase, TimeSpan.FromMinutes(3), checkSong: false);

        output.WriteLine($"{fuzzCase.Data.Length:N0} bytes: {outcome.Kind} in {outcome.Elapsed.TotalMilliseconds:F0} ms, " +
                         $"allocated {outcome.AllocatedBytes:N0} bytes");
        Assert.True(outcome.Kind == FuzzOutcomeKind.Read, $"{outcome.Kind}: {outcome.Detail}");
        Assert.Equal(1_000_000, outcome.Notes);
    }
}
