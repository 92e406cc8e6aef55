using CrnnGan.Midi;

namespace CrnnGan.Evaluation;

/// <summary>A group of <see cref="MusicalFeatures"/>, as the evaluation's tables show them.</summary>
public enum FeatureGroup { Pitch, Intervals, Melody, Key, Rhythm, Durations, Texture, Velocity }

/// <summary>One per-song feature: its snake_case name, its group and its value.</summary>
public readonly record struct MusicalFeature(string Name, FeatureGroup Group, double Value);

/// <summary>
/// What a listener hears of a song and the paper's six statistics do not see, in the spirit of Yang and Lerch's
/// (2018) feature set: register, the intervals between successive notes in onset order and along the top line
/// (the highest note of each onset), pitch classes relative to the song's best-fitting key and how they follow each
/// other, where onsets fall on the sixteenth-note grid and in a 4/4 bar counted from the first onset, the classes of
/// inter-onset intervals and note lengths, density, chords, doubled notes and velocity.
/// Every value is a share, a mean or a spread, never a count, so songs and segments of different sizes compare
/// (a generator's silent events still show, as lower density). Time is in quarter notes.
/// </summary>
public static class MusicalFeatures
{
    /// <summary>Every feature's name and group, in the order <see cref="Compute"/> gives them.</summary>
    public static IReadOnlyList<(string Name, FeatureGroup Group)> Definitions { get; } =
        Compute([new Note(0, 1, 60, 64)], 384)!.Select(f => (f.Name, f.Group)).ToArray();

    /// <summary>The features of the notes (ticks at <paramref name="ticksPerQuarter"/>), or null when there are none.</summary>
    public static IReadOnlyList<MusicalFeature>? Compute(IReadOnlyList<Note> notes, int ticksPerQuarter)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (notes.Count == 0) return null;
        var grid = new RhythmGrid(ticksPerQuarter);
        Note[] ordered = notes.OrderBy(n => n.StartTick).ThenBy(n => n.Pitch).ToArray();
        int[] pitches = Array.ConvertAll(ordered, n => n.Pitch);
        var onsets = ordered.GroupBy(n => n.StartTick).Select(g => (Tick: g.Key, Notes: g.ToArray())).ToArray();
        int[] topLine = onsets.Select(o => o.Notes.Max(n => n.Pitch)).ToArray();
        var features = new List<MusicalFeature>();
        void Add(FeatureGroup group, string name, double value) => features.Add(new MusicalFeature(name, group, value));

        Add(FeatureGroup.Pitch, "pitch_mean", pitches.Average());
        Add(FeatureGroup.Pitch, "pitch_std", Std(pitches.Select(p => (double)p)));
        Add(FeatureGroup.Pitch, "tone_span", pitches.Max() - pitches.Min());
        Add(FeatureGroup.Pitch, "unique_tone_share", (double)pitches.Distinct().Count() / pitches.Length);
        Add(FeatureGroup.Pitch, "repeated_trigram_share", 3.0 * RepetitionCounts.Count(pitches)[3] / pitches.Length);

        AddIntervals(Add, FeatureGroup.Intervals, "interval", pitches);
        AddIntervals(Add, FeatureGroup.Melody, "melody_interval", topLine);

        var histogram = new PitchClassHistogram(pitches);
        var key = ScaleFit.Best(histogram);
        Add(FeatureGroup.Key, "in_scale_share", key.Fraction);
        Add(FeatureGroup.Key, "pitch_class_entropy", histogram.EntropyBits());
        Add(FeatureGroup.Key, "pitch_class_transition_entropy", TransitionEntropy(pitches, key.Root));
        for (int degree = 0; degree < PitchClass.Count; degree++)
            Add(FeatureGroup.Key, $"from_tonic_{degree}", (double)histogram[PitchClass.Of(key.Root + degree)] / histogram.Total);

        AddRhythm(Add, grid, onsets.Select(o => o.Tick).ToArray());
        AddDurations(Add, grid, ordered);

        double spanQuarters = (double)(onsets[^1].Tick - onsets[0].Tick) / ticksPerQuarter;
        Add(FeatureGroup.Texture, "onsets_per_quarter", spanQuarters > 0 ? (onsets.Length - 1) / spanQuarters : 0);
        Add(FeatureGroup.Texture, "notes_per_onset", (double)ordered.Length / onsets.Length);
        Add(FeatureGroup.Texture, "polyphony", (double)onsets.Count(o => o.Notes.Length >= 2) / onsets.Length);
        Add(FeatureGroup.Texture, "doubled_note_share", (double)onsets.Sum(o => o.Notes.Length - o.Notes.Select(n => n.Pitch).Distinct().Count()) / ordered.Length);

        int[] velocities = Array.ConvertAll(ordered, n => n.Velocity);
        Add(FeatureGroup.Velocity, "velocity_mean", velocities.Average());
        Add(FeatureGroup.Velocity, "velocity_std", Std(velocities.Select(v => (double)v)));
        Add(FeatureGroup.Velocity, "velocity_span", velocities.Max() - velocities.Min());
        return features;
    }

    /// <summary>Mean jump and the shares of repeats (0), steps (1-2 semitones), leaps (3-12) and wider leaps (over an octave).</summary>
    private static void AddIntervals(Action<FeatureGroup, string, double> add, FeatureGroup group, string prefix, int[] line)
    {
        int[] jumps = Enumerable.Range(1, Math.Max(0, line.Length - 1)).Select(i => Math.Abs(line[i] - line[i - 1])).ToArray();
        double Share(Func<int, bool> which) => jumps.Length == 0 ? 0 : (double)jumps.Count(which) / jumps.Length;
        add(group, $"{prefix}_mean", jumps.Length == 0 ? 0 : jumps.Average());
        add(group, $"{prefix}_repeat_share", Share(j => j == 0));
        add(group, $"{prefix}_step_share", Share(j => j is 1 or 2));
        add(group, $"{prefix}_leap_share", Share(j => j is >= 3 and <= 12));
        add(group, $"{prefix}_wide_leap_share", Share(j => j > 12));
    }

    /// <summary>Where onsets fall counted from the first one, and the intervals between them.</summary>
    private static void AddRhythm(Action<FeatureGroup, string, double> add, RhythmGrid grid, long[] onsets)
    {
        long first = onsets[0];
        double Share(Func<long, bool> which) => (double)onsets.Count(which) / onsets.Length;
        add(FeatureGroup.Rhythm, "onset_on_16th_share", Share(t => grid.IsMultipleOf(t - first, 0.25)));
        add(FeatureGroup.Rhythm, "onset_on_grid_share", Share(t => grid.IsOnGrid(t - first)));
        add(FeatureGroup.Rhythm, "onset_on_beat_share", Share(t => grid.IsMultipleOf(t - first, 1)));
        // 16 sixteenths of a 4/4 bar, and one bin for onsets off that grid.
        var barPositions = onsets.Select(t => grid.IsMultipleOf(t - first, 0.25)
            ? (int)(Math.Round((t - first) / (grid.TicksPerQuarter / 4.0)) % 16) : 16);
        add(FeatureGroup.Rhythm, "bar_position_entropy", Entropy(barPositions.GroupBy(p => p).Select(g => g.Count())));

        double[] intervals = Enumerable.Range(1, onsets.Length - 1).Select(i => (double)(onsets[i] - onsets[i - 1])).ToArray();
        double[] logs = intervals.Select(t => Math.Log2(t / grid.TicksPerQuarter)).ToArray();
        add(FeatureGroup.Rhythm, "ioi_log_mean", logs.Length == 0 ? 0 : logs.Average());
        add(FeatureGroup.Rhythm, "ioi_log_std", Std(logs));
        add(FeatureGroup.Rhythm, "ioi_most_common_share", intervals.Length == 0 ? 0
            : (double)intervals.Max(a => intervals.Count(b => Math.Abs(a - b) <= grid.Tolerance)) / intervals.Length);
        var classes = new int[RhythmGrid.ClassNames.Count];
        foreach (double interval in intervals) classes[grid.ClassOf(interval)]++;
        for (int c = 0; c < classes.Length; c++)
            add(FeatureGroup.Rhythm, $"ioi_{RhythmGrid.ClassNames[c]}_share", intervals.Length == 0 ? 0 : (double)classes[c] / intervals.Length);
    }

    private static void AddDurations(Action<FeatureGroup, string, double> add, RhythmGrid grid, Note[] notes)
    {
        double[] logs = notes.Select(n => Math.Log2(Math.Max(1, n.LengthTicks) / (double)grid.TicksPerQuarter)).ToArray();
        add(FeatureGroup.Durations, "length_log_mean", logs.Average());
        add(FeatureGroup.Durations, "length_log_std", Std(logs));
        add(FeatureGroup.Durations, "length_on_grid_share", (double)notes.Count(n => n.LengthTicks > grid.Tolerance && grid.IsOnGrid(n.LengthTicks)) / notes.Length);
    }

    /// <summary>Entropy in bits of the pairs (pitch class, next pitch class) of successive notes, relative to the key's root.</summary>
    private static double TransitionEntropy(int[] pitches, int root) =>
        Entropy(Enumerable.Range(1, Math.Max(0, pitches.Length - 1))
            .GroupBy(i => PitchClass.Of(pitches[i - 1] - root) * PitchClass.Count + PitchClass.Of(pitches[i] - root))
            .Select(g => g.Count()));

    private static double Entropy(IEnumerable<int> counts)
    {
        int[] all = counts.ToArray();
        double total = all.Sum();
        return total == 0 ? 0 : -all.Where(c => c > 0).Sum(c => c / total * Math.Log2(c / total));
    }

    private static double Std(IEnumerable<double> values)
    {
        double[] all = values.ToArray();
        if (all.Length < 2) return 0;
        double mean = all.Average();
        return Math.Sqrt(all.Sum(v => (v - mean) * (v - mean)) / all.Length);
    }
}
