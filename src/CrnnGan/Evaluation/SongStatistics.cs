using CrnnGan.Midi;

namespace CrnnGan.Evaluation;

/// <summary>
/// The per-song statistics of the C-RNN-GAN paper (Mogren 2016) plus pitch-class entropy.
/// Fractions are 0..1. Only songs with at least one note have statistics; see <see cref="Compute(IReadOnlyList{Note})"/>.
/// </summary>
public sealed record SongStatistics(
    int NumTones,
    int ToneMin,
    int ToneMax,
    int UniqueTones,
    double ScaleConsistency,
    string BestScale,
    double Polyphony,
    RepetitionCounts RepetitionCounts,
    int IntensityMin,
    int IntensityMax,
    double PitchClassEntropy)
{
    /// <summary>Highest minus lowest pitch, in half-tone steps.</summary>
    public int ToneSpan => ToneMax - ToneMin;

    /// <summary>Highest minus lowest velocity.</summary>
    public int IntensitySpan => IntensityMax - IntensityMin;

    /// <summary>Non-overlapping repeats of k-grams of pitches, k = 2..9.</summary>
    public long Repetitions(int k) => RepetitionCounts[k];

    /// <summary>Every statistic by its snake_case name, in <see cref="StatisticDefinitions.All"/> order.</summary>
    public IReadOnlyList<(string Name, double Value)> ToNamedValues() =>
        StatisticDefinitions.All.Select(definition => (definition.Name, definition.Select(this))).ToArray();

    public static SongStatistics? Compute(MidiSong song) => Compute(song.Notes);

    /// <summary>Statistics of the notes, or null when there are none.</summary>
    public static SongStatistics? Compute(IReadOnlyList<Note> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (notes.Count == 0)
            return null;

        Note[] ordered = notes.ToArray();
        Array.Sort(ordered, (a, b) => a.StartTick != b.StartTick
            ? a.StartTick.CompareTo(b.StartTick)
            : a.Pitch.CompareTo(b.Pitch));
        int[] pitches = Array.ConvertAll(ordered, note => note.Pitch);

        var histogram = new PitchClassHistogram(pitches);
        var scaleFit = ScaleFit.Best(histogram);

        return new SongStatistics(
            NumTones: ordered.Length,
            ToneMin: pitches.Min(),
            ToneMax: pitches.Max(),
            UniqueTones: pitches.Distinct().Count(),
            ScaleConsistency: scaleFit.Fraction,
            BestScale: scaleFit.ScaleName,
            Polyphony: PolyphonyOf(ordered),
            RepetitionCounts: RepetitionCounts.Count(pitches),
            IntensityMin: ordered.Min(note => note.Velocity),
            IntensityMax: ordered.Max(note => note.Velocity),
            PitchClassEntropy: histogram.EntropyBits());
    }

    /// <summary>Fraction of distinct onset ticks at which two or more notes start. Expects notes sorted by start.</summary>
    private static double PolyphonyOf(Note[] notesByStart)
    {
        int onsets = 0, polyphonicOnsets = 0;
        for (int first = 0; first < notesByStart.Length;)
        {
            int next = first + 1;
            while (next < notesByStart.Length && notesByStart[next].StartTick == notesByStart[first].StartTick)
                next++;
            onsets++;
            if (next - first >= 2)
                polyphonicOnsets++;
            first = next;
        }
        return (double)polyphonicOnsets / onsets;
    }
}
