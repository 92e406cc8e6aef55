using CrnnGan.Midi;

namespace CrnnGan.Evaluation;

/// <summary>
/// Generated songs measured against real ones by what a listener hears: each of the <see cref="MusicalFeatures"/>
/// compared as a distribution (overlapping area and KL, as the paper's statistics are), and all of them at once by a
/// <see cref="ClassifierTwoSampleTest"/>.
/// </summary>
/// <param name="RealAgainstReal">The same test between two halves of the real songs (one segment per song, so no song
/// is on both sides): what the classifier scores when there is nothing to find, the anchor its score is read against.</param>
public sealed record MusicEvaluation(IReadOnlyList<DistributionComparison> Features, TwoSampleResult? Realism, TwoSampleResult? RealAgainstReal = null)
{
    /// <summary>The lowest overlapping area of any feature.</summary>
    public DistributionComparison WorstFeature => Features.MinBy(c => c.OverlappingArea)!;

    public static FeatureGroup GroupOf(string feature) =>
        MusicalFeatures.Definitions.First(d => d.Name == feature).Group;

    /// <summary>
    /// Both sides' songs with ticks at <paramref name="ticksPerQuarter"/> (songs with no notes left out). The features
    /// are compared over all of <paramref name="realBySong"/>'s segments, but both two-sample tests take one segment per
    /// real song: with two segments of one piece, trees can learn the piece and know its other segment when it is held
    /// out. The generated songs against real ones, then <see cref="RealAgainstReal"/>: the real songs shuffled with the
    /// seed and dealt alternately to two halves. A test is null where a side has fewer songs than <paramref name="folds"/>.
    /// </summary>
    public static MusicEvaluation Compare(IReadOnlyList<IReadOnlyList<Note>> generated,
        IReadOnlyList<IReadOnlyList<IReadOnlyList<Note>>> realBySong, int ticksPerQuarter, int seed = 1, int folds = 5)
    {
        var names = MusicalFeatures.Definitions.Select(d => d.Name).ToArray();
        var generatedFeatures = Measure(generated, ticksPerQuarter);
        var realBySongFeatures = realBySong.Select(song => Measure(song, ticksPerQuarter)).ToList();
        var realFeatures = realBySongFeatures.SelectMany(song => song).ToList();
        if (generatedFeatures.Count == 0) throw new ArgumentException("none of the generated songs has notes");
        if (realFeatures.Count == 0) throw new ArgumentException("none of the real songs has notes");
        var comparisons = names.Select((name, i) => DistributionComparison.Compare(name,
            generatedFeatures.Select(v => v[i]).ToList(), realFeatures.Select(v => v[i]).ToList())).ToList();

        var onePerSong = realBySongFeatures.Where(song => song.Count > 0).Select(song => song[0]).ToArray();
        new Random(seed).Shuffle(onePerSong);
        TwoSampleResult? Test(IReadOnlyList<double[]> a, IReadOnlyList<double[]> b) =>
            Math.Min(a.Count, b.Count) >= folds ? ClassifierTwoSampleTest.Run(a, b, names, folds, seed) : null;
        var realism = Test(generatedFeatures, onePerSong);
        var halves = (onePerSong.Where((_, i) => i % 2 == 0).ToList(), onePerSong.Where((_, i) => i % 2 == 1).ToList());
        return new MusicEvaluation(comparisons, realism, Test(halves.Item1, halves.Item2));
    }

    /// <summary>The feature vector of every song that has notes.</summary>
    public static IReadOnlyList<double[]> Measure(IEnumerable<IReadOnlyList<Note>> songs, int ticksPerQuarter) =>
        songs.Select(s => MusicalFeatures.Compute(s, ticksPerQuarter)).OfType<IReadOnlyList<MusicalFeature>>()
            .Select(f => f.Select(x => x.Value).ToArray()).ToList();
}
