using System.Diagnostics;
using CrnnGan.Tests.Midi;

namespace CrnnGan.Bench;

/// <summary>
/// The MIDI fuzz of the test suite (tests/CrnnGan.Tests/Midi/MidiFuzz.cs) with as many random cases as asked:
/// every case must read or be rejected with a reason, within a time limit and an allocation limit.
/// </summary>
internal static class MidiFuzzBench
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static int Run(int randomCases, int seed)
    {
        var clock = Stopwatch.StartNew();
        int cases = 0, read = 0, rejected = 0, crashes = 0, hangs = 0, tooMuchMemory = 0;
        FuzzOutcome? slowest = null;
        double worstRatio = 0;
        string worstRatioCase = "";
        var failures = new List<FuzzOutcome>();
        foreach (var fuzzCase in MidiFuzzCases.All(randomCases, seed))
        {
            var outcome = MidiFuzzRunner.Run(fuzzCase, Timeout);
            cases++;
            switch (outcome.Kind)
            {
                case FuzzOutcomeKind.Read: read++; break;
                case FuzzOutcomeKind.Rejected: rejected++; break;
                case FuzzOutcomeKind.Crash: crashes++; failures.Add(outcome); break;
                case FuzzOutcomeKind.Hang: hangs++; failures.Add(outcome); break;
                case FuzzOutcomeKind.TooMuchMemory: tooMuchMemory++; failures.Add(outcome); break;
            }
            if (slowest is null || outcome.Elapsed > slowest.Elapsed)
                slowest = outcome;
            double ratio = (double)outcome.AllocatedBytes / Math.Max(1, fuzzCase.Data.Length);
            if (fuzzCase.Data.Length >= 64 && ratio > worstRatio)
                (worstRatio, worstRatioCase) = (ratio, fuzzCase.Name);
        }

        Console.WriteLine($"midi-fuzz: {cases} cases (seed {seed}): {read} read, {rejected} rejected, {crashes} crashes, {hangs} hangs, " +
                          $"{tooMuchMemory} over the allocation limit; {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"slowest case: {slowest!.Case.Name}: {slowest.Elapsed.TotalMilliseconds:F1} ms ({slowest.Case.Data.Length:N0} bytes)");
        Console.WriteLine($"most allocated per byte (files of 64 bytes or more): {worstRatio:F0} bytes per byte ({worstRatioCase})");
        foreach (var failure in failures.Take(50))
            Console.WriteLine($"  {failure.Kind}: {failure.Case.Name}: {failure.Detail}");

        var million = MidiFuzzRunner.Run(new FuzzCase("a million notes", MidiFuzzCases.ManyNotes(1_000_000)), TimeSpan.FromSeconds(60), checkSong: false);
        Console.WriteLine($"a million notes ({million.Case.Data.Length:N0} bytes): {million.Kind} in {million.Elapsed.TotalMilliseconds:F0} ms, " +
                          $"{million.AllocatedBytes / 1e6:F0} MB allocated");
        return failures.Count == 0 && million.Kind == FuzzOutcomeKind.Read ? 0 : 1;
    }
}
