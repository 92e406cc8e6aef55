using CrnnGan.Midi;

namespace CrnnGan.Tests.Data;

internal static class TestSongs
{
    /// <summary>Arbitrary notes at 384 tpq: chords, duplicates and overlapping same-pitch notes, random channels/tracks.</summary>
    public static List<Note> RandomNotes(Random random)
    {
        int count = random.Next(0, 60);
        var notes = new List<Note>(count);
        long start = random.Next(0, 2000);
        for (int i = 0; i < count; i++)
        {
            double roll = random.NextDouble();
            if (roll < 0.1 && notes.Count > 0)
            {
                // Same pitch as an earlier note, starting inside it or at the same tick.
                Note earlier = notes[random.Next(notes.Count)];
                long overlapStart = earlier.StartTick + random.NextInt64(0, earlier.LengthTicks);
                notes.Add(RandomNote(random, overlapStart, earlier.Pitch));
                continue;
            }
            if (roll > 0.4)
                start += random.Next(0, 1000); // otherwise: another tone of the current chord
            notes.Add(RandomNote(random, start, random.Next(0, 128)));
        }
        return notes.OrderBy(_ => random.Next()).ToList();
    }

    /// <summary>A plausible piece at 384 tpq: a melody over block chords in C major, with dynamics.</summary>
    public static List<Note> RealisticNotes(Random random, int bars = 32)
    {
        int[] scale = [0, 2, 4, 5, 7, 9, 11];
        var notes = new List<Note>();
        const int quarter = 384;
        for (int bar = 0; bar < bars; bar++)
        {
            long barStart = bar * 4L * quarter;
            int root = 48 + scale[random.Next(scale.Length)];
            foreach (int interval in new[] { 0, 4, 7 })
                notes.Add(new Note(barStart, 4 * quarter, root + interval, random.Next(50, 80)));

            long tick = barStart;
            while (tick < barStart + 4 * quarter)
            {
                int[] lengths = [quarter / 2, quarter, quarter, 3 * quarter / 2, 2 * quarter];
                long length = Math.Min(lengths[random.Next(lengths.Length)], barStart + 4 * quarter - tick);
                int pitch = 60 + 12 * random.Next(2) + scale[random.Next(scale.Length)];
                notes.Add(new Note(tick, length, pitch, random.Next(70, 115)));
                tick += length;
            }
        }
        return notes;
    }

    private static Note RandomNote(Random random, long start, int pitch) =>
        new(start, random.Next(1, 3000), pitch, random.Next(1, 128), random.Next(16), random.Next(4));
}
