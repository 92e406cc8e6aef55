using System.Diagnostics;
using CrnnGan.Audio;
using CrnnGan.Midi;

namespace CrnnGan.Bench;

/// <summary>
/// Times <see cref="SongRenderer"/> on a dense piano-like piece made in code: sixteenth-note arpeggios in the
/// right hand and a three-note chord per beat in the left, at 120 BPM (about 14 notes a second).
/// </summary>
internal static class RenderBench
{
    private const int TicksPerQuarter = 384;

    public static int Run(double minutes, string? folder)
    {
        var song = Piece(minutes);
        folder ??= Path.Combine(Path.GetTempPath(), "crnngan-render-bench");
        Directory.CreateDirectory(folder);
        string midi = Path.Combine(folder, "piece.mid");
        string wav = Path.Combine(folder, "piece.wav");
        MidiFileWriter.Write(midi, song.Notes, TicksPerQuarter, 120);

        var clock = Stopwatch.StartNew();
        var result = SongRenderer.RenderToFile(MidiFileReader.Read(midi), wav);
        clock.Stop();
        Console.WriteLine($"{song.Notes.Count} notes, {result.Seconds:0.0} s of stereo audio rendered in {clock.Elapsed.TotalSeconds:0.00} s " +
                          $"({result.Seconds / clock.Elapsed.TotalSeconds:0}x real time); {new FileInfo(wav).Length / 1e6:0.0} MB in {wav}");
        return 0;
    }

    private static MidiSong Piece(double minutes)
    {
        int beats = (int)(minutes * 120);
        int[][] chords = [[48, 52, 55], [45, 48, 52], [41, 45, 48], [43, 47, 50]];
        var notes = new List<Note>();
        for (int beat = 0; beat < beats; beat++)
        {
            int[] chord = chords[beat / 4 % chords.Length];
            foreach (int pitch in chord)
                notes.Add(new Note(beat * TicksPerQuarter, TicksPerQuarter, pitch, 60));
            for (int step = 0; step < 4; step++)
            {
                int pitch = chord[step % 3] + 24 + (step == 3 ? 12 : 0);
                notes.Add(new Note(beat * TicksPerQuarter + step * TicksPerQuarter / 4, TicksPerQuarter / 2, pitch, 70 + 10 * (step % 2)));
            }
        }
        return new MidiSong("bench", 1, TicksPerQuarter, notes, [new TempoChange(0, 500_000)], []);
    }
}
