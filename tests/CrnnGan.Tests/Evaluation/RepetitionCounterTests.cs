using CrnnGan.Evaluation;
using static CrnnGan.Tests.Evaluation.TestSongs;

namespace CrnnGan.Tests.Evaluation;

public class RepetitionCounterTests
{
    /// <summary>The definition, literally: O(n²·k).</summary>
    private static long BruteForce(int[] pitches, int k)
    {
        int n = pitches.Length;
        long pairs = 0;
        for (int i = 0; i + k <= n; i++)
            for (int j = i + k; j + k <= n; j++)
                if (pitches.AsSpan(i, k).SequenceEqual(pitches.AsSpan(j, k)))
                    pairs++;
        return pairs;
    }

    [Theory]
    [InlineData(new[] { 5, 5, 5 }, 2, 0)]     // starts 0 and 1 overlap
    [InlineData(new[] { 5, 5, 5, 5 }, 2, 1)]  // starts 0,1,2: only (0,2) is k apart
    [InlineData(new[] { 1, 2, 1, 2, 1, 2 }, 2, 4)]
    [InlineData(new[] { 1, 2, 3, 1, 2, 3 }, 3, 1)]
    [InlineData(new[] { 1, 2, 3, 1, 2, 4 }, 3, 0)]
    [InlineData(new[] { 7 }, 2, 0)]
    [InlineData(new int[0], 2, 0)]
    public void Count_MatchesHandWorkedExamples(int[] pitches, int k, long expected)
    {
        Assert.Equal(expected, RepetitionCounter.Count(pitches, k));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CountForLengths_MatchesBruteForceOnRandomSequences(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            int alphabet = random.Next(1, 5);
            int length = random.Next(0, 80);
            // Offset and spread so dense ranking of arbitrary (even negative) pitches is exercised.
            int[] pitches = Enumerable.Range(0, length).Select(_ => random.Next(alphabet) * 7 - 10).ToArray();

            long[] counts = RepetitionCounter.CountForLengths(pitches, 1, 12);

            for (int k = 1; k <= 12; k++)
                Assert.True(BruteForce(pitches, k) == counts[k - 1],
                    $"k={k}, pitches=[{string.Join(",", pitches)}]: expected {BruteForce(pitches, k)}, got {counts[k - 1]}");
        }
    }

    [Fact]
    public void SongStatistics_RepetitionsMatchBruteForce()
    {
        var random = new Random(42);
        int[] pitches = Enumerable.Range(0, 300).Select(_ => 60 + random.Next(3)).ToArray();

        var stats = SongStatistics.Compute(Melody(pitches))!;

        foreach (int k in RepetitionCounts.Ks)
            Assert.Equal(BruteForce(pitches, k), stats.Repetitions(k));
    }

    [Fact]
    public void OneRepeatedPitch_HundredThousandNotes_CountsExceedInt()
    {
        // Every k-gram is equal. With m = n - k + 1 starts, pairs at distance d exist m - d times,
        // so the total is sum over d = k..m-1 of (m - d) = (m - k)(m - k + 1) / 2.
        const int n = 100_000;
        var stats = SongStatistics.Compute(Melody(Enumerable.Repeat(60, n).ToArray()))!;

        foreach (int k in RepetitionCounts.Ks)
        {
            long m = n - k + 1;
            Assert.Equal((m - k) * (m - k + 1) / 2, stats.Repetitions(k));
        }
        Assert.Equal(4_999_750_003L, stats.Repetitions(2));
    }

    [Fact]
    public void RandomHundredThousandNoteSong_Completes()
    {
        // Proves the counting is not quadratic in practice (a quadratic pass would be ~10^10 comparisons per k).
        // Speed itself is measured by benchmarks, not asserted here.
        var random = new Random(7);
        var notes = Melody(Enumerable.Range(0, 100_000).Select(_ => 48 + random.Next(24)).ToArray());

        var stats = SongStatistics.Compute(notes)!;

        Assert.Equal(100_000, stats.NumTones);
        // 24 pitches → 576 bigrams, ~174 occurrences each → ~(1e5)²/2/576 ≈ 8.7e6 bigram repeat pairs.
        Assert.InRange(stats.Repetitions(2), 8_000_000, 9_500_000);
        Assert.True(stats.Repetitions(2) > stats.Repetitions(3));
    }
}
