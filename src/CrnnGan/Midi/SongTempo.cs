namespace CrnnGan.Midi;

/// <summary>
/// The tempo music is mostly played at, from its set-tempo meta events (<see cref="MidiSong.Tempos"/>): each whole BPM
/// weighted by the quarter notes played at it (musical time, so a slow movement counts by its length in the score, not
/// by its minutes). Before a song's first set-tempo event the MIDI default of 120 BPM holds.
/// </summary>
public static class SongTempo
{
    /// <summary>The tempo of a MIDI file without a set-tempo event, and of files written without a stored tempo.</summary>
    public const double MidiDefaultBpm = 120;

    /// <summary>The fastest tempo crnngan writes (and accepts from a model file).</summary>
    public const double MaxBpm = 1000;

    public static bool IsValid(double bpm) => double.IsFinite(bpm) && bpm > 0 && bpm <= MaxBpm;

    /// <summary>The most common whole BPM of <paramref name="songs"/>, each over its notes (from tick 0 to its last note's
    /// end); null when no song holds a note. Ties go to the slower tempo.</summary>
    public static double? MostCommon(IEnumerable<MidiSong> songs)
    {
        ArgumentNullException.ThrowIfNull(songs);
        var quarters = new Dictionary<int, double>();
        foreach (var song in songs)
        {
            if (song.Notes.Count == 0) continue;
            Add(quarters, song, song.Notes.Max(n => n.EndTick));
        }
        return Mode(quarters);
    }

    /// <summary>The most common whole BPM of <paramref name="song"/> from tick 0 to <paramref name="endTick"/> (in the song's
    /// own ticks); the tempo at tick 0 when that span is empty.</summary>
    public static double Of(MidiSong song, long endTick)
    {
        ArgumentNullException.ThrowIfNull(song);
        var quarters = new Dictionary<int, double>();
        Add(quarters, song, endTick);
        return Mode(quarters) ?? WholeBpm(TempoAt(song, 0));
    }

    private static void Add(Dictionary<int, double> quarters, MidiSong song, long endTick)
    {
        double bpm = SongTempo.MidiDefaultBpm;
        long from = 0;
        foreach (var change in song.Tempos.OrderBy(t => t.Tick))
        {
            if (change.Tick >= endTick) break;
            AddSpan(quarters, bpm, change.Tick - from, song.TicksPerQuarter);
            from = Math.Max(from, change.Tick);
            bpm = change.Bpm;
        }
        AddSpan(quarters, bpm, endTick - from, song.TicksPerQuarter);
    }

    private static void AddSpan(Dictionary<int, double> quarters, double bpm, long ticks, int ticksPerQuarter)
    {
        if (ticks <= 0 || !double.IsFinite(bpm) || bpm <= 0) return;
        int key = WholeBpm(bpm);
        quarters[key] = quarters.GetValueOrDefault(key) + (double)ticks / ticksPerQuarter;
    }

    private static double TempoAt(MidiSong song, long tick) =>
        song.Tempos.Where(t => t.Tick <= tick).OrderBy(t => t.Tick).Select(t => (double?)t.Bpm).LastOrDefault() ?? MidiDefaultBpm;

    private static int WholeBpm(double bpm) => Math.Max(1, (int)Math.Round(bpm, MidpointRounding.AwayFromZero));

    private static double? Mode(Dictionary<int, double> quarters) =>
        quarters.Count == 0 ? null : quarters.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
}
