namespace CrnnGan.Evaluation;

public static class PitchClass
{
    public const int Count = 12;

    /// <summary>Pitch class 0 (C) .. 11 (B); also correct for negative pitches or intervals.</summary>
    public static int Of(int pitch) => ((pitch % Count) + Count) % Count;
}

/// <summary>How many notes fall on each of the 12 pitch classes.</summary>
public sealed class PitchClassHistogram
{
    private readonly long[] _counts = new long[PitchClass.Count];

    public PitchClassHistogram(IEnumerable<int> pitches)
    {
        foreach (int pitch in pitches)
        {
            _counts[PitchClass.Of(pitch)]++;
            Total++;
        }
    }

    public long Total { get; }

    public long this[int pitchClass] => _counts[pitchClass];

    /// <summary>Shannon entropy of the pitch-class distribution in bits: 0 for one class, log2(12) for uniform.</summary>
    public double EntropyBits()
    {
        double entropy = 0.0;
        foreach (long count in _counts)
        {
            if (count == 0)
                continue;
            double p = (double)count / Total;
            entropy -= p * Math.Log2(p);
        }
        return entropy;
    }
}
