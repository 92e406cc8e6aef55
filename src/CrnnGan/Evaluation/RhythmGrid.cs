namespace CrnnGan.Evaluation;

/// <summary>
/// Note values as a listener counts them, in ticks of a song's own resolution: what lies on a sixteenth-note or a
/// triplet grid, and which named value an interval between onsets is. A value counts as on the grid when it is within
/// <see cref="Tolerance"/> of it: 1/192 of a quarter note (2 ticks at 384 per quarter), so that sequenced music is on
/// it and a continuous value drawn at random falls on it about one time in twenty.
/// </summary>
public sealed class RhythmGrid
{
    /// <summary>The named values an interval between onsets is sorted into, in quarter notes, shortest first.</summary>
    public static IReadOnlyList<(string Name, double Quarters)> NamedValues { get; } =
    [
        ("32nd", 1.0 / 8), ("16th_triplet", 1.0 / 6), ("16th", 1.0 / 4), ("8th_triplet", 1.0 / 3), ("8th", 1.0 / 2),
        ("quarter_triplet", 2.0 / 3), ("dotted_8th", 3.0 / 4), ("quarter", 1), ("dotted_quarter", 3.0 / 2), ("half", 2),
    ];

    /// <summary>The classes of <see cref="ClassOf"/>: the named values, then "longer" (on the grid, longer or between
    /// the named ones), then "off_grid".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = [.. NamedValues.Select(v => v.Name), "longer", "off_grid"];

    public RhythmGrid(int ticksPerQuarter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerQuarter, 1);
        TicksPerQuarter = ticksPerQuarter;
        Tolerance = ticksPerQuarter / 192.0;
    }

    public int TicksPerQuarter { get; }
    public double Tolerance { get; }

    /// <summary>Within <see cref="Tolerance"/> of a whole number of <paramref name="unitQuarters"/> quarter notes.</summary>
    public bool IsMultipleOf(double ticks, double unitQuarters)
    {
        double unit = unitQuarters * TicksPerQuarter;
        double remainder = ticks - unit * Math.Round(ticks / unit);
        return Math.Abs(remainder) <= Tolerance;
    }

    /// <summary>On a sixteenth-note or an eighth-note-triplet grid.</summary>
    public bool IsOnGrid(double ticks) => IsMultipleOf(ticks, 0.25) || IsMultipleOf(ticks, 1.0 / 3);

    /// <summary>The index in <see cref="ClassNames"/> of an interval between onsets.</summary>
    public int ClassOf(double ticks)
    {
        for (int i = 0; i < NamedValues.Count; i++)
            if (Math.Abs(ticks - NamedValues[i].Quarters * TicksPerQuarter) <= Tolerance)
                return i;
        return ticks > Tolerance && IsOnGrid(ticks) ? NamedValues.Count : NamedValues.Count + 1;
    }
}
