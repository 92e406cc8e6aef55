using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Midi;

namespace CrnnGan.Tests.Evaluation;

public class MusicalFeaturesTests
{
    private const int Quarter = 384;

    private static double Feature(IReadOnlyList<Note> notes, string name, int ticksPerQuarter = Quarter) =>
        MusicalFeatures.Compute(notes, ticksPerQuarter)!.Single(f => f.Name == name).Value;

    [Fact]
    public void ASixteenthNoteMelodyIsOnTheGridAndItsIntervalsAreCounted()
    {
        // 60 60 62 74 65: a repeat, a step, an octave (a leap of 12) and a ninth down (over an octave? no: 9).
        int[] pitches = [60, 60, 62, 74, 65];
        var notes = pitches.Select((p, i) => new Note(1000 + i * Quarter / 4, Quarter / 4, p, 80)).ToArray();

        Assert.Equal(1.0, Feature(notes, "onset_on_16th_share"));
        Assert.Equal(1.0, Feature(notes, "ioi_16th_share"));
        Assert.Equal(0.0, Feature(notes, "ioi_off_grid_share"));
        Assert.Equal(1.0, Feature(notes, "ioi_most_common_share"));
        Assert.Equal(0.0, Feature(notes, "ioi_log_std"));
        Assert.Equal(-2.0, Feature(notes, "ioi_log_mean"), 12);
        Assert.Equal(0.4, Feature(notes, "onset_on_beat_share"), 12); // onsets 0 and 4 of five sixteenths
        Assert.Equal(0.25, Feature(notes, "interval_repeat_share"));
        Assert.Equal(0.25, Feature(notes, "interval_step_share"));
        Assert.Equal(0.5, Feature(notes, "interval_leap_share"));
        Assert.Equal(0.0, Feature(notes, "interval_wide_leap_share"));
        Assert.Equal((0 + 2 + 12 + 9) / 4.0, Feature(notes, "interval_mean"), 12);
        Assert.Equal(4.0, Feature(notes, "onsets_per_quarter"), 12);
    }

    [Fact]
    public void TheSameMelodyAtAnotherResolutionMeasuresTheSame()
    {
        var at384 = Enumerable.Range(0, 12).Select(i => new Note(i * 96L + (i % 3 == 0 ? 0 : 48), 96, 60 + i % 5, 70)).ToArray();
        var at480 = at384.Select(n => n with { StartTick = n.StartTick * 5 / 4, LengthTicks = n.LengthTicks * 5 / 4 }).ToArray();
        var a = MusicalFeatures.Compute(at384, 384)!;
        var b = MusicalFeatures.Compute(at480, 480)!;
        foreach (var (x, y) in a.Zip(b)) Assert.Equal(x.Value, y.Value, 9);
    }

    [Fact]
    public void OnsetsDrawnAtRandomAreOffTheGrid()
    {
        var random = new Random(3);
        long tick = 0;
        var notes = Enumerable.Range(0, 200).Select(_ => new Note(tick += 20 + random.Next(300), 100, 60 + random.Next(12), 80)).ToArray();

        Assert.InRange(Feature(notes, "onset_on_16th_share"), 0, 0.15);
        Assert.InRange(Feature(notes, "ioi_off_grid_share"), 0.8, 1);
        Assert.InRange(Feature(notes, "bar_position_entropy"), 0, 1.2); // nearly all in the off-grid bin
    }

    [Fact]
    public void PitchClassesAreCountedFromTheTonicOfTheBestFittingKey()
    {
        // D major scale, D twice: from the tonic (D) degree 0 holds 2 of 8 notes, degree 1 (D#) none.
        int[] pitches = [62, 64, 66, 67, 69, 71, 73, 74];
        var notes = pitches.Select((p, i) => new Note(i * Quarter, Quarter, p, 80)).ToArray();

        Assert.Equal(0.25, Feature(notes, "from_tonic_0"));
        Assert.Equal(0.0, Feature(notes, "from_tonic_1"));
        Assert.Equal(0.125, Feature(notes, "from_tonic_4"));
        Assert.Equal(1.0, Feature(notes, "in_scale_share"));
    }

    [Fact]
    public void ChordsDoubledNotesAndTheTopLineAreTold()
    {
        // Two onsets: C-E-G with the G doubled, then D-F-A. Top line G -> A, a step.
        Note[] notes =
        [
            new(0, Quarter, 60, 80), new(0, Quarter, 64, 80), new(0, Quarter, 67, 80), new(0, Quarter, 67, 90),
            new(Quarter, Quarter, 62, 80), new(Quarter, Quarter, 65, 80), new(Quarter, Quarter, 69, 80),
        ];

        Assert.Equal(1.0 / 7, Feature(notes, "doubled_note_share"), 12);
        Assert.Equal(1.0, Feature(notes, "polyphony"));
        Assert.Equal(3.5, Feature(notes, "notes_per_onset"));
        Assert.Equal(1.0, Feature(notes, "melody_interval_step_share"));
        Assert.Equal(2.0, Feature(notes, "melody_interval_mean"));
    }

    [Fact]
    public void EveryFeatureIsNamedOnceAndNoSongHasNone()
    {
        var names = MusicalFeatures.Definitions.Select(d => d.Name).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Null(MusicalFeatures.Compute([], Quarter));
        var one = MusicalFeatures.Compute([new Note(5, 10, 60, 64)], Quarter)!;
        Assert.Equal(names, one.Select(f => f.Name));
        Assert.All(one, f => Assert.True(double.IsFinite(f.Value), f.Name));
    }
}

public class ClassifierTwoSampleTestTests
{
    private static IReadOnlyList<double[]> Features(IEnumerable<IReadOnlyList<Note>> songs) => MusicEvaluation.Measure(songs, 384);

    private static IEnumerable<IReadOnlyList<Note>> Segments(int seed, int count) =>
        RealSegments.Cut(SyntheticCorpus.Generate(count, seed), 32, maxPerSong: 1, seed: seed);

    /// <summary>Random pitches over four octaves at random times and lengths: no key, no beat, no line.</summary>
    private static IEnumerable<IReadOnlyList<Note>> Broken(int seed, int count)
    {
        var random = new Random(seed);
        for (int s = 0; s < count; s++)
        {
            long tick = 0;
            yield return Enumerable.Range(0, 32).Select(_ => new Note(tick += random.Next(400), 1 + random.Next(800), 40 + random.Next(48), 1 + random.Next(127))).ToArray();
        }
    }

    private static readonly string[] Names = MusicalFeatures.Definitions.Select(d => d.Name).ToArray();

    /// <summary>Two draws of one corpus: near chance. A 95% interval misses 0.5 in one draw of twenty, so three pairs.</summary>
    [Fact]
    public void RealAgainstRealScoresNearChance()
    {
        var results = new[] { (1, 2), (3, 4), (5, 6) }
            .Select(pair => ClassifierTwoSampleTest.Run(Features(Segments(pair.Item1, 150)), Features(Segments(pair.Item2, 150)), Names, seed: 7))
            .ToList();

        Assert.All(results, result => Assert.Equal(150, result.PerSide));
        Assert.All(results, result => Assert.InRange(result.Accuracy, 0.35, 0.65));
        Assert.InRange(results.Average(r => r.Accuracy), 0.45, 0.55);
        Assert.True(results.Count(r => r.Lower < 0.5 && r.Upper > 0.5) >= 2,
            $"intervals {string.Join(", ", results.Select(r => $"{r.Lower:F3}-{r.Upper:F3}"))}: most should hold 0.5");
    }

    [Fact]
    public void ABrokenGeneratorScoresNearOneAndIsGivenAwayByWhatIsBroken()
    {
        var result = ClassifierTwoSampleTest.Run(Features(Broken(3, 150)), Features(Segments(4, 150)), Names, seed: 7);

        Assert.True(result.Accuracy > 0.95, $"accuracy {result.Accuracy}");
        Assert.True(result.GiveAways[0].Importance > 0);
        Assert.Equal(1.0, result.GiveAways.Sum(g => g.Importance), 6);
    }

    [Fact]
    public void BothSidesAreCutToTheSameSizeAndASeedGivesOneAnswer()
    {
        var generated = Features(Broken(5, 40));
        var real = Features(Segments(6, 90));
        var first = ClassifierTwoSampleTest.Run(generated, real, Names, seed: 3);
        var again = ClassifierTwoSampleTest.Run(generated, real, Names, seed: 3);

        Assert.Equal(40, first.PerSide);
        Assert.Equal(first.Accuracy, again.Accuracy);
        Assert.Equal(first.GiveAways.Select(g => g.Feature), again.GiveAways.Select(g => g.Feature));
        Assert.Throws<ArgumentException>(() => ClassifierTwoSampleTest.Run(generated.Take(3).ToList(), real, Names));
    }

    [Fact]
    public void AnEvaluationScoresTheGeneratorAndBesideItTwoHalvesOfTheRealSongsOneSegmentPerSong()
    {
        var realBySong = RealSegments.CutBySong(SyntheticCorpus.Generate(240, 8), 32, maxPerSong: 3, seed: 8);

        var evaluation = MusicEvaluation.Compare(Broken(9, 150).ToList(), realBySong, 384, seed: 2);

        Assert.Equal(MusicalFeatures.Definitions.Count, evaluation.Features.Count);
        Assert.Equal(150, evaluation.Realism!.PerSide);
        Assert.True(evaluation.Realism.Accuracy > 0.95, $"accuracy {evaluation.Realism.Accuracy}");
        Assert.Equal(120, evaluation.RealAgainstReal!.PerSide); // 240 songs, one segment each, dealt to two halves
        Assert.InRange(evaluation.RealAgainstReal.Accuracy, 0.35, 0.65);
        Assert.Equal(realBySong.Sum(s => s.Count), evaluation.Features[0].RealCount); // the features see every segment
        Assert.True(realBySong.Sum(s => s.Count) > 2 * 240);
    }

    /// <summary>Each song measured, with the probability of being generated the classifier gave it while held out:
    /// near 1 for a broken generator's songs, near 0 for the real ones it was tested on, none for segments it never saw.</summary>
    [Fact]
    public void EverySongIsListedWithWhatTheClassifierMadeOfIt()
    {
        var realBySong = RealSegments.CutBySong(SyntheticCorpus.Generate(200, 8), 32, maxPerSong: 3, seed: 8);

        var evaluation = MusicEvaluation.Compare(Broken(9, 150).ToList(), realBySong, 384, seed: 2);

        var generated = evaluation.Songs!.Where(s => s.Generated).ToList();
        var real = evaluation.Songs!.Where(s => !s.Generated).ToList();
        Assert.Equal(Enumerable.Range(0, 150), generated.Select(s => s.Song));
        Assert.Equal(realBySong.Sum(s => s.Count), real.Count);
        Assert.All(evaluation.Songs!, s => Assert.Equal(MusicalFeatures.Definitions.Count, s.Values.Length));
        Assert.All(generated, s => Assert.NotNull(s.HeldOutGenerated));
        Assert.True(generated.Average(s => s.HeldOutGenerated!.Value) > 0.8, "a broken generator's songs look generated");
        var tested = real.Where(s => s.HeldOutGenerated is not null).ToList();
        Assert.Equal(150, tested.Count); // one segment of 150 of the 200 songs, to balance the sides
        Assert.All(tested, s => Assert.Equal(0, s.Segment));
        Assert.True(tested.Average(s => s.HeldOutGenerated!.Value) < 0.2, "real songs look real");
        var direct = MusicalFeatures.Compute(realBySong[5][1], 384)!.Select(f => f.Value);
        Assert.Equal(direct, real.Single(s => s.Song == 5 && s.Segment == 1).Values);
    }

    [Fact]
    public void TheWilsonIntervalHoldsTheShareAndNarrowsWithMoreTrials()
    {
        var (share, lower, upper) = ClassifierTwoSampleTest.Wilson(80, 100);
        var (_, lowerMore, upperMore) = ClassifierTwoSampleTest.Wilson(800, 1000);

        Assert.Equal(0.8, share);
        Assert.InRange(lower, 0.70, 0.72); // 0.711 by the formula
        Assert.InRange(upper, 0.86, 0.88); // 0.867
        Assert.True(upperMore - lowerMore < upper - lower);
    }
}
