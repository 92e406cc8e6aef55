namespace CrnnGan.Evaluation;

/// <summary>
/// Counts non-overlapping repeats of k-grams in a pitch sequence: pairs (i, j) with i + k &lt;= j, j + k &lt;= n
/// and pitches[i..i+k) == pitches[j..j+k).
/// </summary>
/// <remarks>
/// Runs in expected O(n) per k. Each k-gram start gets an exact dense rank, built from the (k-1)-gram rank plus
/// the next pitch (prefix extension, as in suffix-array construction), so equal ranks mean equal k-grams with no
/// hash collisions. Starts are then bucketed by rank in ascending position order and, per bucket, pairs at
/// distance &gt;= k are counted with two pointers. Counts can reach ~n²/2 (a song of one repeated pitch), hence long.
/// </remarks>
public static class RepetitionCounter
{
    /// <summary>Repeat counts for every k in [<paramref name="minK"/>, <paramref name="maxK"/>]; element 0 is for minK.</summary>
    public static long[] CountForLengths(ReadOnlySpan<int> pitches, int minK, int maxK)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minK, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxK, minK);

        var counts = new long[maxK - minK + 1];
        int n = pitches.Length;
        if (n == 0)
            return counts;

        int[] symbols = DenseRanks(pitches, out int alphabetSize);
        int[] ranks = symbols;
        int rankCount = alphabetSize;
        for (int k = 1; k <= maxK; k++)
        {
            if (k > 1)
            {
                int starts = n - k + 1;
                if (starts <= 0)
                    break;
                ranks = ExtendRanks(ranks, symbols, alphabetSize, k, starts, out rankCount);
            }
            if (k >= minK)
                counts[k - minK] = CountDistantEqualPairs(ranks, rankCount, k);
        }
        return counts;
    }

    /// <summary>Repeat count for a single k-gram length.</summary>
    public static long Count(ReadOnlySpan<int> pitches, int k) => CountForLengths(pitches, k, k)[0];

    private static int[] DenseRanks(ReadOnlySpan<int> pitches, out int alphabetSize)
    {
        var rankOfPitch = new Dictionary<int, int>();
        var ranks = new int[pitches.Length];
        for (int i = 0; i < pitches.Length; i++)
        {
            if (!rankOfPitch.TryGetValue(pitches[i], out int rank))
            {
                rank = rankOfPitch.Count;
                rankOfPitch.Add(pitches[i], rank);
            }
            ranks[i] = rank;
        }
        alphabetSize = rankOfPitch.Count;
        return ranks;
    }

    /// <summary>Ranks of k-grams from ranks of (k-1)-grams: the k-gram at i is the (k-1)-gram at i plus symbol i+k-1.</summary>
    private static int[] ExtendRanks(int[] previousRanks, int[] symbols, int alphabetSize, int k, int starts, out int rankCount)
    {
        var rankOfKey = new Dictionary<long, int>();
        var ranks = new int[starts];
        for (int i = 0; i < starts; i++)
        {
            // previous rank < n and alphabetSize <= n, so the key stays below n² and fits a long.
            long key = (long)previousRanks[i] * alphabetSize + symbols[i + k - 1];
            if (!rankOfKey.TryGetValue(key, out int rank))
            {
                rank = rankOfKey.Count;
                rankOfKey.Add(key, rank);
            }
            ranks[i] = rank;
        }
        rankCount = rankOfKey.Count;
        return ranks;
    }

    /// <summary>Number of pairs of starts with equal rank that lie at least <paramref name="minDistance"/> apart.</summary>
    private static long CountDistantEqualPairs(int[] ranks, int rankCount, int minDistance)
    {
        // Counting sort of start positions by rank; filling in ascending position keeps each bucket sorted.
        var bucketStart = new int[rankCount + 1];
        foreach (int rank in ranks)
            bucketStart[rank + 1]++;
        for (int r = 0; r < rankCount; r++)
            bucketStart[r + 1] += bucketStart[r];

        var positions = new int[ranks.Length];
        var fill = (int[])bucketStart.Clone();
        for (int i = 0; i < ranks.Length; i++)
            positions[fill[ranks[i]]++] = i;

        long pairs = 0;
        for (int r = 0; r < rankCount; r++)
        {
            int begin = bucketStart[r], end = bucketStart[r + 1];
            int earlier = begin; // first position in the bucket that is still too close to the current one
            for (int current = begin; current < end; current++)
            {
                while (positions[earlier] <= positions[current] - minDistance)
                    earlier++;
                pairs += earlier - begin;
            }
        }
        return pairs;
    }
}
