namespace CrnnGan.Evaluation;

/// <summary>Repeat counts of k-grams for k = <see cref="MinK"/>..<see cref="MaxK"/>, indexed by k itself.</summary>
public sealed class RepetitionCounts : IEquatable<RepetitionCounts>
{
    public const int MinK = 2;
    public const int MaxK = 9;

    private readonly long[] _countsFromMinK;

    private RepetitionCounts(long[] countsFromMinK) => _countsFromMinK = countsFromMinK;

    /// <summary>All k this type holds, ascending.</summary>
    public static IReadOnlyList<int> Ks { get; } = Enumerable.Range(MinK, MaxK - MinK + 1).ToArray();

    public static RepetitionCounts Count(ReadOnlySpan<int> pitches) =>
        new(RepetitionCounter.CountForLengths(pitches, MinK, MaxK));

    public long this[int k]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(k, MinK);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(k, MaxK);
            return _countsFromMinK[k - MinK];
        }
    }

    public bool Equals(RepetitionCounts? other) =>
        other is not null && _countsFromMinK.AsSpan().SequenceEqual(other._countsFromMinK);

    public override bool Equals(object? obj) => Equals(obj as RepetitionCounts);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (long count in _countsFromMinK)
            hash.Add(count);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        string.Join(", ", Ks.Select(k => $"k={k}: {this[k]}"));
}
