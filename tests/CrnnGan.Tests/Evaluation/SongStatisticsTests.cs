using CrnnGan.Evaluation;
using CrnnGan.Midi;
using static CrnnGan.Tests.Evaluation.TestSongs;

namespace CrnnGan.Tests.Evaluation;

public class SongStatisticsTests
{
    [Fact]
    public void CMajorScale_HasExpectedStatistics()
    {
        // C4..C5 one note per beat: 8 notes, 60..72 (span 12), all distinct pitches, all in C major
        // (tied with A natural minor, but C major comes first). No shared onsets, no repeated bigram.
        // Velocities 60..100 → span 40. Pitch classes: C twice, D E F G A B once each:
        // H = -(2/8·log2(2/8) + 6·1/8·log2(1/8)) = 0.5 + 2.25 = 2.75 bits.
        int[] pitches = [60, 62, 64, 65, 67, 69, 71, 72];
        int[] velocities = [60, 70, 80, 90, 100, 90, 80, 70];
        var notes = pitches.Select((p, i) => new Note(i * Beat, Beat, p, velocities[i])).ToArray();

        var stats = SongStatistics.Compute(notes)!;

        Assert.Equal(8, stats.NumTones);
        Assert.Equal(60, stats.ToneMin);
        Assert.Equal(72, stats.ToneMax);
        Assert.Equal(12, stats.ToneSpan);
        Assert.Equal(8, stats.UniqueTones);
        Assert.Equal(1.0, stats.ScaleConsistency);
        Assert.Equal("C major", stats.BestScale);
        Assert.Equal(0.0, stats.Polyphony);
        foreach (int k in RepetitionCounts.Ks)
            Assert.Equal(0, stats.Repetitions(k));
        Assert.Equal(60, stats.IntensityMin);
        Assert.Equal(100, stats.IntensityMax);
        Assert.Equal(40, stats.IntensitySpan);
        Assert.Equal(2.75, stats.PitchClassEntropy, 12);
    }

    [Fact]
    public void Chords_PolyphonyIsFractionOfSharedOnsets()
    {
        // Onsets: 0 {C E G}, 480 {D}, 960 {F A}, 1440 {E}, 1920 {C} → 2 of 5 onsets are chords = 0.4.
        // Given out of order to check that the calculator sorts. Pitches 60..69, 6 distinct, all in C major.
        Note[] notes =
        [
            new(960, Beat, 69, 90), new(0, Beat, 67, 80), new(1920, Beat, 60, 70),
            new(480, Beat, 62, 100), new(0, Beat, 60, 80), new(1440, Beat, 64, 100),
            new(960, Beat, 65, 90), new(0, Beat, 64, 80),
        ];

        var stats = SongStatistics.Compute(notes)!;

        Assert.Equal(0.4, stats.Polyphony, 12);
        Assert.Equal(8, stats.NumTones);
        Assert.Equal(9, stats.ToneSpan);
        Assert.Equal(6, stats.UniqueTones);
        Assert.Equal(1.0, stats.ScaleConsistency);
        Assert.Equal("C major", stats.BestScale);
        Assert.Equal(30, stats.IntensitySpan);
    }

    [Fact]
    public void SimultaneousNotes_AreOrderedByPitch()
    {
        // Input order 64, 60 @0; 60 @480; 64 @960. Sorted by (start, pitch): 60 64 60 64 → bigram (60,64) at 0 and 2,
        // distance 2 >= k → 1 repeat. Taken in input order (64 60 60 64) there would be none.
        Note[] notes = [new(0, Beat, 64, 100), new(0, Beat, 60, 100), new(480, Beat, 60, 100), new(960, Beat, 64, 100)];

        var stats = SongStatistics.Compute(notes)!;

        Assert.Equal(1, stats.Repetitions(2));
        Assert.Equal(0, stats.Repetitions(3));
    }

    [Fact]
    public void OneNote_HasZeroSpansAndEntropy()
    {
        // A single A4: every span is 0, one onset that is no chord, one pitch class (entropy 0).
        // Every scale containing A fits fully; the first tried containing A is C major.
        var stats = SongStatistics.Compute([new Note(0, Beat, 69, 100)])!;

        Assert.Equal(1, stats.NumTones);
        Assert.Equal(69, stats.ToneMin);
        Assert.Equal(69, stats.ToneMax);
        Assert.Equal(0, stats.ToneSpan);
        Assert.Equal(1, stats.UniqueTones);
        Assert.Equal(1.0, stats.ScaleConsistency);
        Assert.Equal("C major", stats.BestScale);
        Assert.Equal(0.0, stats.Polyphony);
        Assert.Equal(0, stats.IntensitySpan);
        Assert.Equal(0.0, stats.PitchClassEntropy);
        Assert.All(stats.ToNamedValues(), named => Assert.True(double.IsFinite(named.Value), named.Name));
    }

    [Fact]
    public void EmptySong_HasNoStatistics()
    {
        Assert.Null(SongStatistics.Compute(Array.Empty<Note>()));
        Assert.Null(SongStatistics.Compute(new MidiSong("empty", 1, 480, [], [], [])));
    }

    [Fact]
    public void HarmonicMinor_IsDetected()
    {
        // A B C D E F G#: only A harmonic minor holds all seven (G# rules out every major and natural minor scale).
        var stats = SongStatistics.Compute(Melody(69, 71, 72, 74, 76, 77, 80))!;

        Assert.Equal(1.0, stats.ScaleConsistency);
        Assert.Equal("A harmonic minor", stats.BestScale);
    }

    [Fact]
    public void ScaleTie_GoesToFirstRootThenFirstScale()
    {
        // E F# G# A B C# D# is both E major and C# natural minor; root C# is tried before E.
        var stats = SongStatistics.Compute(Melody(64, 66, 68, 69, 71, 73, 75))!;

        Assert.Equal(1.0, stats.ScaleConsistency);
        Assert.Equal("C# natural minor", stats.BestScale);
    }

    [Fact]
    public void ChromaticSong_HasUniformEntropyAndSevenTwelfthsScaleConsistency()
    {
        // Two chromatic octaves: each pitch class twice → uniform, entropy log2(12).
        // Every scale holds 7 of the 12 classes equally often → 14/24 = 7/12, first tried is C major.
        var stats = SongStatistics.Compute(Melody(Enumerable.Range(48, 24).ToArray()))!;

        Assert.Equal(Math.Log2(12), stats.PitchClassEntropy, 12);
        Assert.Equal(7.0 / 12.0, stats.ScaleConsistency, 12);
        Assert.Equal("C major", stats.BestScale);
        Assert.Equal(24, stats.UniqueTones);
        Assert.Equal(23, stats.ToneSpan);
    }

    [Fact]
    public void PartialScaleFit_ReportsBestFraction()
    {
        // C D E F# G: only 4 of 5 in C major (no F#); all 5 in G major and E natural minor, and root E comes first.
        var stats = SongStatistics.Compute(Melody(60, 62, 64, 66, 67))!;
        Assert.Equal(1.0, stats.ScaleConsistency);
        Assert.Equal("E natural minor", stats.BestScale);

        // C C# D: no major or minor scale holds three consecutive semitones, so the best is 2 of 3, first at C major.
        var partial = SongStatistics.Compute(Melody(60, 61, 62))!;
        Assert.Equal(2.0 / 3.0, partial.ScaleConsistency, 12);
        Assert.Equal("C major", partial.BestScale);
    }

    [Fact]
    public void Repetitions_OnSmallSequence()
    {
        // 1 2 1 2 1 2: bigram (1,2) at 0,2,4 → pairs (0,2),(0,4),(2,4); (2,1) at 1,3 → (1,3). Total 4.
        // Trigrams (1,2,1) at 0,2 and (2,1,2) at 1,3 overlap (distance 2 < 3) → 0.
        var stats = SongStatistics.Compute(Melody(1, 2, 1, 2, 1, 2))!;

        Assert.Equal(4, stats.Repetitions(2));
        Assert.Equal(0, stats.Repetitions(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.Repetitions(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.Repetitions(10));
    }

    [Fact]
    public void NamedValues_FollowDefinitionOrderAndMatchProperties()
    {
        var stats = SongStatistics.Compute(Melody(60, 62, 60, 62, 67))!;
        var named = stats.ToNamedValues();

        Assert.Equal(StatisticDefinitions.Names, named.Select(n => n.Name));
        var byName = named.ToDictionary(n => n.Name, n => n.Value);
        Assert.Equal(stats.NumTones, byName["num_tones"]);
        Assert.Equal(stats.ToneSpan, byName["tone_span"]);
        Assert.Equal(stats.Repetitions(2), byName["repetitions_2"]);
        Assert.Equal(1, byName["repetitions_2"]); // (60,62) at 0 and 2
        Assert.Equal(stats.PitchClassEntropy, byName["pitch_class_entropy"]);
    }

    [Fact]
    public void EqualSongs_HaveEqualStatistics()
    {
        Assert.Equal(SongStatistics.Compute(Melody(60, 62, 60, 62)), SongStatistics.Compute(Melody(60, 62, 60, 62)));
        Assert.NotEqual(SongStatistics.Compute(Melody(60, 62, 60, 62)), SongStatistics.Compute(Melody(60, 62, 62, 60)));
    }
}
