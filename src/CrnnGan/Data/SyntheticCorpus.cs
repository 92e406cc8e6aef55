using CrnnGan.Midi;

namespace CrnnGan.Data;

/// <summary>
/// A built-in corpus made in code, like the paper's code's "synthetic chords" mode: scales, arpeggios and
/// chord progressions of three-note chords in random major and minor keys, with varied lengths, tempi and
/// velocities. It lets `crnngan train` and the tests run with nothing downloaded. As in real music, songs differ in
/// their dynamics (some even, some strongly accented, louder and softer sections), and in minor keys the dominant
/// chord has the raised leading tone (harmonic minor) while scale runs keep the natural minor.
/// </summary>
public static class SyntheticCorpus
{
    public const int TicksPerQuarter = 384;
    private static readonly int[] Major = [0, 2, 4, 5, 7, 9, 11];
    private static readonly int[] NaturalMinor = [0, 2, 3, 5, 7, 8, 10];
    private static readonly int[][] Progressions = [[0, 3, 4, 0], [0, 5, 3, 4], [0, 4, 5, 3], [1, 4, 0, 0], [0, 3, 0, 4]];
    private static readonly int[] NoteLengths = [TicksPerQuarter / 4, TicksPerQuarter / 2, TicksPerQuarter, TicksPerQuarter * 2];

    public static IReadOnlyList<MidiSong> Generate(int count, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var songs = new List<MidiSong>(count);
        for (int i = 0; i < count; i++)
            songs.Add(GenerateSong(random, $"synthetic-{i:D4}"));
        return songs;
    }

    /// <summary>A song's loudness: each section's level, and how far a note's velocity strays from it (either way).</summary>
    private readonly record struct Dynamics(int Level, int Accent);

    private static MidiSong GenerateSong(Random random, string name)
    {
        int tonic = 48 + random.Next(12);
        int[] scale = random.Next(2) == 0 ? Major : NaturalMinor;
        int baseVelocity = 50 + random.Next(50);
        int accent = 2 + random.Next(13);
        int sectionSwing = random.Next(11);
        int bpm = 70 + random.Next(90);
        var notes = new List<Note>();
        long tick = 0;
        int sections = 8 + random.Next(8);
        for (int s = 0; s < sections; s++)
        {
            var dynamics = new Dynamics(baseVelocity + random.Next(-sectionSwing, sectionSwing + 1), accent);
            tick = random.Next(3) switch
            {
                0 => AddScaleRun(random, notes, tick, tonic, scale, dynamics),
                1 => AddArpeggios(random, notes, tick, tonic, scale, dynamics),
                _ => AddChordProgression(random, notes, tick, tonic, scale, dynamics),
            };
        }
        return new MidiSong(name, 1, TicksPerQuarter, notes,
            [new TempoChange(0, 60_000_000 / bpm)], [new TimeSignatureChange(0, 4, 4)]);
    }

    private static int Degree(int tonic, int[] scale, int degree) =>
        tonic + 12 * Math.DivRem(degree, scale.Length, out int step) + scale[step];

    /// <summary>A tone of the chord on <paramref name="root"/>: in a minor key the dominant's third (the seventh degree)
    /// is raised to the leading tone, as in harmonic minor.</summary>
    private static int ChordTone(int tonic, int[] scale, int root, int offset)
    {
        int pitch = Degree(tonic, scale, root + offset);
        bool leadingTone = scale == NaturalMinor && root == DominantRoot && (root + offset) % scale.Length == 6;
        return leadingTone ? pitch + 1 : pitch;
    }

    private const int DominantRoot = 4;

    private static int Velocity(Random random, Dynamics dynamics) =>
        Math.Clamp(dynamics.Level + random.Next(-dynamics.Accent, dynamics.Accent + 1), 1, 127);

    private static long AddScaleRun(Random random, List<Note> notes, long tick, int tonic, int[] scale, Dynamics dynamics)
    {
        int length = NoteLengths[random.Next(2)];
        int degrees = 8 + random.Next(8);
        bool descending = random.Next(2) == 0;
        for (int d = 0; d < degrees; d++)
        {
            int degree = descending ? degrees - 1 - d : d;
            notes.Add(new Note(tick, length, Degree(tonic, scale, degree), Velocity(random, dynamics)));
            tick += length;
        }
        return tick;
    }

    private static long AddArpeggios(Random random, List<Note> notes, long tick, int tonic, int[] scale, Dynamics dynamics)
    {
        int length = NoteLengths[random.Next(3)];
        foreach (int root in Progressions[random.Next(Progressions.Length)])
        {
            foreach (int offset in new[] { 0, 2, 4, 7, 4, 2 })
            {
                notes.Add(new Note(tick, length, ChordTone(tonic, scale, root, offset), Velocity(random, dynamics)));
                tick += length;
            }
        }
        return tick;
    }

    private static long AddChordProgression(Random random, List<Note> notes, long tick, int tonic, int[] scale, Dynamics dynamics)
    {
        int length = NoteLengths[2 + random.Next(2)];
        foreach (int root in Progressions[random.Next(Progressions.Length)])
        {
            int velocity = Velocity(random, dynamics);
            foreach (int third in new[] { 0, 2, 4 })
                notes.Add(new Note(tick, length, ChordTone(tonic, scale, root, third), velocity));
            tick += length;
        }
        return tick;
    }
}
