namespace CrnnGan.Evaluation;

/// <summary>A scale type as pitch-class offsets from its root.</summary>
public sealed record Scale(string Name, IReadOnlyList<int> Intervals)
{
    public static Scale Major { get; } = new("major", [0, 2, 4, 5, 7, 9, 11]);
    public static Scale NaturalMinor { get; } = new("natural minor", [0, 2, 3, 5, 7, 8, 10]);
    public static Scale HarmonicMinor { get; } = new("harmonic minor", [0, 2, 3, 5, 7, 8, 11]);

    /// <summary>The scales scale consistency tries, in tie-breaking order.</summary>
    public static IReadOnlyList<Scale> Candidates { get; } = [Major, NaturalMinor, HarmonicMinor];

    public static IReadOnlyList<string> PitchClassNames { get; } =
        ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    public string NameWithRoot(int root) => $"{PitchClassNames[root]} {Name}";
}

/// <summary>The best-fitting scale: the fraction of notes it contains, its root pitch class and its type.</summary>
public readonly record struct ScaleFit(double Fraction, int Root, Scale Scale)
{
    /// <summary>E.g. "A harmonic minor".</summary>
    public string ScaleName => Scale.NameWithRoot(Root);

    /// <summary>
    /// Tries every root C..B with every <see cref="Scale.Candidates"/> scale; the first strictly best one wins ties.
    /// </summary>
    public static ScaleFit Best(PitchClassHistogram histogram)
    {
        if (histogram.Total == 0)
            throw new ArgumentException("A scale fit needs at least one note.", nameof(histogram));

        long bestCount = -1;
        ScaleFit best = default;
        for (int root = 0; root < PitchClass.Count; root++)
        {
            foreach (var scale in Scale.Candidates)
            {
                long inScale = scale.Intervals.Sum(interval => histogram[PitchClass.Of(root + interval)]);
                if (inScale > bestCount)
                {
                    bestCount = inScale;
                    best = new ScaleFit(0, root, scale);
                }
            }
        }
        return best with { Fraction = (double)bestCount / histogram.Total };
    }
}
