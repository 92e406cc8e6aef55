namespace CrnnGan.Midi;

/// <summary>Snaps notes to a rhythmic grid afterwards, as a sequencer's quantize does (an opt-in for users: what a
/// model writes by itself is its own timing).</summary>
public static class NoteQuantizer
{
    /// <summary>The grids a user names, in ticks at 384 per quarter note.</summary>
    public static IReadOnlyDictionary<string, int> NamedGrids { get; } = new Dictionary<string, int>
    {
        ["32nd"] = 48, ["16th-triplet"] = 64, ["16th"] = 96, ["8th-triplet"] = 128, ["8th"] = 192, ["quarter"] = 384,
    };

    /// <summary>Every start and end at its nearest multiple of <paramref name="grid"/> ticks; a note that would end where it
    /// starts lasts one step; pitches then started twice at one tick are one note (<see cref="NoteCleaning.MergeSameStart"/>).</summary>
    public static IReadOnlyList<Note> Snap(IReadOnlyList<Note> notes, int grid)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grid, 1);
        long Nearest(long tick) => (long)Math.Round((double)tick / grid, MidpointRounding.AwayFromZero) * grid;
        var snapped = notes.Select(n =>
        {
            long start = Nearest(n.StartTick);
            return n with { StartTick = start, LengthTicks = Math.Max(grid, Nearest(n.EndTick) - start) };
        }).ToArray();
        return NoteCleaning.MergeSameStart(snapped);
    }
}
