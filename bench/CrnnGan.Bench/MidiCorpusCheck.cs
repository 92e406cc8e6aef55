using System.Diagnostics;
using CrnnGan.Midi;

namespace CrnnGan.Bench;

/// <summary>
/// Reads every file under a folder with <see cref="MidiFileReader"/>, reports failures and speed, and
/// cross-checks note counts against NAudio's lenient reader on the files NAudio can open.
/// </summary>
internal static class MidiCorpusCheck
{
    public static int Run(string root)
    {
        string[] files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order().ToArray();
        var failures = new List<MidiReadException>();
        long notes = 0;
        var clock = Stopwatch.StartNew();
        foreach (string file in files)
        {
            try
            {
                notes += MidiFileReader.Read(file).Notes.Count;
            }
            catch (MidiReadException e)
            {
                failures.Add(e);
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;

        Console.WriteLine($"{files.Length} files: {files.Length - failures.Count} read, {failures.Count} failed, " +
                          $"{notes} notes, {seconds:F2} s, {files.Length / seconds:F0} files/s");
        foreach (var e in failures)
            Console.WriteLine($"  FAILED {e.Message}");

        CompareWithNAudio(files);
        return 0;
    }

    private static void CompareWithNAudio(string[] files)
    {
        int opened = 0, agree = 0;
        var naudioErrors = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        var counts = files.Select(file => NAudioNoteCount(file, naudioErrors)).ToArray();
        Console.WriteLine($"NAudio read + count: {clock.Elapsed.TotalSeconds:F2} s");
        for (int i = 0; i < files.Length; i++)
        {
            string file = files[i];
            int? theirs = counts[i];
            if (theirs is null)
                continue;
            opened++;
            int ours = MidiFileReader.Read(file).Notes.Count;
            if (ours == theirs)
                agree++;
            else
                Console.WriteLine($"  note count differs: {file}: ours {ours}, NAudio {theirs}");
        }
        Console.WriteLine($"NAudio opened {opened}/{files.Length}; note counts agree on {agree}");
        foreach (var (error, count) in naudioErrors.OrderByDescending(x => x.Value))
            Console.WriteLine($"  NAudio failed {count}x: {error}");
    }

    /// <summary>Notes per NAudio events, paired with the same per-(track, channel, pitch) FIFO rule.</summary>
    private static int? NAudioNoteCount(string file, Dictionary<string, int> errors)
    {
        NAudio.Midi.MidiFile midi;
        try
        {
            midi = new NAudio.Midi.MidiFile(file, strictChecking: false);
        }
        catch (Exception e)
        {
            string key = $"{e.GetType().Name}: {e.Message}";
            errors[key] = errors.GetValueOrDefault(key) + 1;
            return null;
        }

        int count = 0;
        for (int t = 0; t < midi.Tracks; t++)
        {
            var open = new Dictionary<(int, int), int>();
            foreach (var ev in midi.Events[t])
            {
                if (ev is not NAudio.Midi.NoteEvent n || n.CommandCode is not (NAudio.Midi.MidiCommandCode.NoteOn or NAudio.Midi.MidiCommandCode.NoteOff))
                    continue;
                var key = (n.Channel, n.NoteNumber);
                if (n.CommandCode == NAudio.Midi.MidiCommandCode.NoteOn && n.Velocity > 0)
                {
                    open[key] = open.GetValueOrDefault(key) + 1;
                    count++;
                }
            }
        }
        return count;
    }
}
