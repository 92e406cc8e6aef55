using MidiFileFinder = CrnnGan.Data.MidiFileFinder;
using CrnnGan.Midi;
using NAudio.Midi;

namespace CrnnGan.Bench;

/// <summary>
/// Reads every MIDI file under a folder with <see cref="MidiFileReader"/> and with NAudio's lenient reader, pairs
/// NAudio's note-on/off events the way ours does (per track, channel and pitch, first in first out; an unclosed
/// note lasts a quarter; format-2 tracks one after another) and reports every file whose notes (start, length,
/// pitch) differ, with the first difference.
/// </summary>
internal static class MidiCompare
{
    private readonly record struct Key(long Start, long Length, int Pitch) : IComparable<Key>
    {
        public int CompareTo(Key other) =>
            Start != other.Start ? Start.CompareTo(other.Start)
            : Pitch != other.Pitch ? Pitch.CompareTo(other.Pitch)
            : Length.CompareTo(other.Length);

        public override string ToString() => $"start {Start}, length {Length}, pitch {Pitch}";
    }

    public static int Run(string root)
    {
        var files = MidiFileFinder.Find(root).Order(StringComparer.Ordinal).ToList();
        int bothRead = 0, same = 0, different = 0, oursOnly = 0, theirsOnly = 0, neither = 0;
        var theirErrors = new Dictionary<string, int>();
        foreach (string file in files)
        {
            MidiSong? ours = null;
            string? ourError = null;
            try
            {
                ours = MidiFileReader.Read(file);
            }
            catch (MidiReadException e)
            {
                ourError = e.Reason;
            }

            MidiFile? theirs = null;
            try
            {
                using var stream = File.OpenRead(file);
                theirs = new MidiFile(stream, false);
            }
            catch (Exception e)
            {
                string key = $"{e.GetType().Name}: {e.Message}";
                theirErrors[key] = theirErrors.GetValueOrDefault(key) + 1;
            }

            if (ours is null && theirs is null) { neither++; continue; }
            if (ours is null) { theirsOnly++; Console.WriteLine($"only NAudio reads {file} (ours: {ourError})"); continue; }
            if (theirs is null) { oursOnly++; continue; }

            bothRead++;
            Key[] a = ours.Notes.Select(n => new Key(n.StartTick, n.LengthTicks, n.Pitch)).Order().ToArray();
            Key[] b = NAudioNotes(theirs, ours.TicksPerQuarter).Order().ToArray();
            if (a.AsSpan().SequenceEqual(b)) { same++; continue; }
            different++;
            Console.WriteLine($"differs: {file}: {Describe(a, b)}");
        }

        Console.WriteLine($"midi-compare: {files.Count} files; both read {bothRead}: {same} same notes, {different} differ; " +
                          $"only ours reads {oursOnly}, only NAudio reads {theirsOnly}, neither {neither}");
        foreach (var (error, count) in theirErrors.OrderByDescending(x => x.Value))
            Console.WriteLine($"  NAudio failed {count}x: {error}");
        return 0;
    }

    private static List<Key> NAudioNotes(MidiFile midi, int unclosedLength)
    {
        var notes = new List<Key>();
        long offset = 0;
        for (int t = 0; t < midi.Tracks; t++)
        {
            var open = new Dictionary<int, Queue<long>>();
            long end = 0;
            foreach (var e in midi.Events[t])
            {
                end = Math.Max(end, e.AbsoluteTime);
                if (e is not NoteEvent note || e.CommandCode is not (MidiCommandCode.NoteOn or MidiCommandCode.NoteOff))
                    continue;
                int key = (note.Channel - 1) * 128 + note.NoteNumber;
                if (note.CommandCode == MidiCommandCode.NoteOn && note.Velocity > 0)
                {
                    if (!open.TryGetValue(key, out var queue))
                        open[key] = queue = new Queue<long>();
                    queue.Enqueue(note.AbsoluteTime);
                }
                else if (open.TryGetValue(key, out var queue) && queue.TryDequeue(out long start))
                {
                    notes.Add(new Key(start + offset, note.AbsoluteTime - start, note.NoteNumber));
                }
            }
            foreach (var (key, queue) in open)
                notes.AddRange(queue.Select(start => new Key(start + offset, unclosedLength, key % 128)));
            if (midi.FileFormat == 2)
                offset += end;
        }
        return notes;
    }

    private static string Describe(Key[] ours, Key[] theirs)
    {
        string counts = ours.Length == theirs.Length ? $"{ours.Length} notes each" : $"ours {ours.Length} notes, NAudio {theirs.Length}";
        int i = 0;
        while (i < ours.Length && i < theirs.Length && ours[i] == theirs[i])
            i++;
        string first = i < ours.Length && i < theirs.Length ? $"first difference at note {i}: ours ({ours[i]}), NAudio ({theirs[i]})"
            : i < ours.Length ? $"ours has more from note {i}: ({ours[i]})"
            : $"NAudio has more from note {i}: ({theirs[i]})";
        // A constant shift of the start times from some note on is the signature of a lost or gained delta time.
        var shifts = ours.Length == theirs.Length
            ? ours.Zip(theirs).Select(p => p.Second.Start - p.First.Start).Where(d => d != 0).Distinct().Take(3).ToList()
            : [];
        string shift = shifts.Count == 1 ? $"; NAudio's starts differ by {shifts[0]} ticks where they differ" : "";
        return $"{counts}; {first}{shift}";
    }
}
