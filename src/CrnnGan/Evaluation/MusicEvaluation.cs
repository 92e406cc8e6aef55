using CrnnGan.Midi;

namespace CrnnGan.Evaluation;

/// <summary>
/// Generated songs measured against real ones by what a listener hears: each of the <see cref="MusicalFeatures"/>
/// compared as a distribution (overlapping area and KL, as the paper's statistics are), and all of them at once by a
/// <see cref="ClassifierTwoSampleTest"/>.
/// </summary>
public sealed record MusicEvaluation(IReadOnlyList<DistributionComparison> Features, TwoSampleResult? Realism)
{
    /// <summary>The lowest overlapping area of any feature.</summary>
    public DistributionComparison WorstFeature => Features.MinBy(c => c.OverlappingArea)!;

    public static FeatureGroup GroupOf(string feature) =>
        MusicalFeatures.Definitions.First(d => d.Name == feature).Group;

    /// <summary>Both sides' songs with ticks at <paramref name="ticksPerQuarter"/>; songs with no notes are left out.
    /// <see cref="Realism"/> is null when either side has fewer songs than <paramref name="folds"/>.</summary>
    public static MusicEvaluation Compare(IEnumerable<IReadOnlyList<Note>> generated, IEnumerable<IReadOnlyList<Note>> real,
        int ticksPerQuarter, int seed = 1, int folds = 5)
    {
        var generatedFeatures = Measure(generated, ticksPerQuarter);
        var realFeatures = Measure(real, ticksPerQuarter);
        if (generatedFeatures.Count == 0) throw new ArgumentException("none of the generated songs has notes");
        if (realFeatures.Count == 0) throw new ArgumentException("none of the real songs has notes");
        var names = MusicalFeatures.Definitions.Select(d => d.Name).ToArray();
        var comparisons = names.Select((name, i) => DistributionComparison.Compare(name,
            generatedFeatures.Select(v => v[i]).ToList(), realFeatures.Select(v => v[i]).ToList())).ToList();
        bool enough = Math.Min(generatedFeatures.Count, realFeatures.Count) >= folds;
        return new MusicEvaluation(comparisons, enough ? ClassifierTwoSampleTest.Run(generatedFeatures, realFeatures, names, folds, seed) : null);
    }

    /// <summary>The feature vector of every song that has notes.</summary>
    public static IReadOnlyList<double[]> Measure(IEnumerable<IReadOnlyList<Note>> songs, int ticksPerQuarter) =>
        songs.Select(s => MusicalFeatures.Compute(s, ticksPerQuarter)).OfType<IReadOnlyList<MusicalFeature>>()
            .Select(f => f.Select(x => x.Value).ToArray()).ToList();
}
