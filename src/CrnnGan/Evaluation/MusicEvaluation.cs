using CrnnGan.Midi;

namespace CrnnGan.Evaluation;

/// <summary>
/// Generated songs measured against real ones by what a listener hears: each of the <see cref="MusicalFeatures"/>
/// compared as a distribution (overlapping area and KL, as the paper's statistics are), and all of them at once by a
/// <see cref="ClassifierTwoSampleTest"/>.
/// </summary>
/// <param name="RealAgainstReal">The same test between two halves of the real songs (one segment per song, so no song
/// is on both sides): what the classifier scores when there is nothing to find, the anchor its score is read against.</param>
/// <param name="Songs">Every measured song and real segment with its features and what the classifier made of it.</param>
public sealed record MusicEvaluation(IReadOnlyList<DistributionComparison> Features, TwoSampleResult? Realism, TwoSampleResult? RealAgainstReal = null,
    IReadOnlyList<MeasuredSong>? Songs = null)
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
        var generatedSongs = generated.Select((song, i) => Measured(song, ticksPerQuarter, true, i, 0)).OfType<MeasuredSong>().ToList();
        var realBySongMeasured = realBySong.Select((song, i) => song.Select((segment, j) => Measured(segment, ticksPerQuarter, false, i, j))
            .OfType<MeasuredSong>().ToList()).ToList();
        var realSongs = realBySongMeasured.SelectMany(song => song).ToList();
        if (generatedSongs.Count == 0) throw new ArgumentException("none of the generated songs has notes");
        if (realSongs.Count == 0) throw new ArgumentException("none of the real songs has notes");
        var comparisons = names.Select((name, i) => DistributionComparison.Compare(name,
            generatedSongs.Select(v => v.Values[i]).ToList(), realSongs.Select(v => v.Values[i]).ToList())).ToList();

        var onePerSong = realBySongMeasured.Where(song => song.Count > 0).Select(song => song[0]).ToArray();
        new Random(seed).Shuffle(onePerSong);
        TwoSampleResult? Test(IReadOnlyList<MeasuredSong> a, IReadOnlyList<MeasuredSong> b) =>
            Math.Min(a.Count, b.Count) >= folds ? ClassifierTwoSampleTest.Run(Values(a), Values(b), names, folds, seed) : null;
        var realism = Test(generatedSongs, onePerSong);
        var halves = (onePerSong.Where((_, i) => i % 2 == 0).ToList(), onePerSong.Where((_, i) => i % 2 == 1).ToList());
        if (realism is not null)
        {
            generatedSongs = generatedSongs.Select((s, i) => s with { HeldOutGenerated = realism.GeneratedHeldOut?[i] }).ToList();
            var scored = onePerSong.Select((s, i) => (s, p: realism.RealHeldOut?[i])).ToDictionary(x => (x.s.Song, x.s.Segment), x => x.p);
            realSongs = realSongs.Select(s => scored.TryGetValue((s.Song, s.Segment), out var p) ? s with { HeldOutGenerated = p } : s).ToList();
        }
        return new MusicEvaluation(comparisons, realism, Test(halves.Item1, halves.Item2), [.. generatedSongs, .. realSongs]);
    }

    private static MeasuredSong? Measured(IReadOnlyList<Note> notes, int ticksPerQuarter, bool generated, int song, int segment) =>
        MusicalFeatures.Compute(notes, ticksPerQuarter) is { } features
            ? new MeasuredSong(generated, song, segment, features.Select(f => f.Value).ToArray(), null)
            : null;

    private static IReadOnlyList<double[]> Values(IReadOnlyList<MeasuredSong> songs) => songs.Select(s => s.Values).ToList();

    /// <summary>The feature vector of every song that has notes.</summary>
    public static IReadOnlyList<double[]> Measure(IEnumerable<IReadOnlyList<Note>> songs, int ticksPerQuarter) =>
        Values(songs.Select((s, i) => Measured(s, ticksPerQuarter, true, i, 0)).OfType<MeasuredSong>().ToList());
}

/// <summary>One measured song: generated (<see cref="Song"/> its index among the generated songs) or a real segment
/// (<see cref="Song"/> the real song's index, <see cref="Segment"/> the segment's among that song's), its
/// <see cref="MusicalFeatures"/> in their order, and the probability the two-sample classifier gave it of being generated
/// while it was held out (null where it took no part).</summary>
public sealed record MeasuredSong(bool Generated, int Song, int Segment, double[] Values, double? HeldOutGenerated);
