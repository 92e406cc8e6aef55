using System.Diagnostics;
using CrnnGan.Midi;
using NAudio.Midi;

namespace CrnnGan.Bench;

/// <summary>
/// Reads every file under a folder with <see cref="MidiFileReader"/> and reports failures and speed; then
/// cross-checks note counts against NAudio's lenient reader and round-trips every song through
/// <see cref="MidiFileWriter"/>.
/// </summary>
internal static class MidiCorpusCheck
{
    public static int Run(string root)
    {
        string[] files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order().ToArray();
        var songs = new Dictionary<string, MidiSong>();
        var failures = new List<MidiReadException>();
        var clock = Stopwatch.StartNew();
        foreach (string file in files)
        {
            try
            {
                songs[file] = MidiFileReader.Read(file);
            }
            catch (MidiReadException e)
            {
                failures.Add(e);
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;

        Console.WriteLine($"{files.Length} files: {songs.Count} read, {failures.Count} failed, " +
                          $"{songs.Values.Sum(s => (long)s.Notes.Count)} notes, {seconds:F2} s, {files.Length / seconds:F0} files/s");
        foreach (var e in failures)
            Console.WriteLine($"  FAILED {e.Message}");

        CompareWithNAudio(files, songs);
        int mismatches = CheckRoundTrips(songs);
        return failures.Count == files.Count(f => new FileInfo(f).Length == 0) && mismatches == 0 ? 0 : 1;
    }

    private static void CompareWithNAudio(string[] files, Dictionary<string, MidiSong> songs)
    {
        int opened = 0, agree = 0;
        var errors = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        foreach (string file in files)
        {
            int theirs;
            try
            {
                theirs = NAudioNoteCount(new MidiFile(file, strictChecking: false));
            }
            catch (Exception e)
            {
                string key = $"{e.GetType().Name}: {e.Message}";
                errors[key] = errors.GetValueOrDefault(key) + 1;
                continue;
            }
            opened++;
            int ours = songs.TryGetValue(file, out var song) ? song.Notes.Count : -1;
            if (ours == theirs)
                agree++;
            else
                Console.WriteLine($"  note count differs: {file}: ours {ours}, NAudio {theirs}");
        }
        Console.WriteLine($"NAudio opened {opened}/{files.Length} in {clock.Elapsed.TotalSeconds:F2} s; note counts agree on {agree}");
        foreach (var (error, count) in errors.OrderByDescending(x => x.Value))
            Console.WriteLine($"  NAudio failed {count}x: {error}");
    }

    /// <summary>Each note-on with velocity above 0 starts exactly one note, closed or not.</summary>
    private static int NAudioNoteCount(MidiFile midi) =>
        Enumerable.Range(0, midi.Tracks)
            .SelectMany(t => midi.Events[t])
            .Count(e => e is NoteEvent { CommandCode: MidiCommandCode.NoteOn, Velocity: > 0 });

    private static int CheckRoundTrips(Dictionary<string, MidiSong> songs)
    {
        int mismatches = 0;
        var clock = Stopwatch.StartNew();
        foreach (var (file, song) in songs)
        {
            byte[] bytes = MidiFileWriter.ToBytes(song.Notes, song.TicksPerQuarter);
            var back = MidiFileReader.Read(bytes, file);
            if (!Canonical(song.Notes).SequenceEqual(Canonical(back.Notes)))
            {
                mismatches++;
                Console.WriteLine($"  round trip differs: {file}");
            }
        }
        Console.WriteLine($"round trip write+read: {songs.Count - mismatches}/{songs.Count} identical, {clock.Elapsed.TotalSeconds:F2} s");
        return mismatches;
    }

    private static IEnumerable<Note> Canonical(IEnumerable<Note> notes) =>
        notes.Select(n => n with { Track = 0 })
            .OrderBy(n => n.StartTick).ThenBy(n => n.Channel).ThenBy(n => n.Pitch).ThenBy(n => n.LengthTicks).ThenBy(n => n.Velocity);
}
