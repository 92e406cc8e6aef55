using CrnnGan.Evaluation;
using CrnnGan.Midi;

namespace CrnnGan.Data;

/// <summary>
/// Moves a song into C major or A minor: its best-fitting scale (as scale consistency finds it over all its notes)
/// is shifted by the smallest interval, -6 to +5 semitones, that puts a major scale's root on C and a minor scale's
/// on A. A note the shift would carry off the MIDI range moves an octave back, keeping its pitch class.
/// </summary>
public static class KeyTransposition
{
    private const int TargetMajorRoot = 0; // C
    private const int TargetMinorRoot = 9; // A

    /// <summary>The semitones <see cref="ToC"/> moves <paramref name="song"/> by (0 for a song without notes).</summary>
    public static int ShiftToC(MidiSong song)
    {
        ArgumentNullException.ThrowIfNull(song);
        if (song.Notes.Count == 0)
            return 0;
        var fit = ScaleFit.Best(new PitchClassHistogram(song.Notes.Select(n => n.Pitch)));
        int target = fit.Scale == Scale.Major ? TargetMajorRoot : TargetMinorRoot;
        int shift = PitchClass.Of(target - fit.Root);
        return shift >= 6 ? shift - PitchClass.Count : shift;
    }

    public static MidiSong ToC(MidiSong song)
    {
        int shift = ShiftToC(song);
        return shift == 0 ? song : song with { Notes = song.Notes.Select(n => n with { Pitch = Move(n.Pitch, shift) }).ToList() };
    }

    private static int Move(int pitch, int shift)
    {
        int moved = pitch + shift;
        while (moved > Tuning.MaxPitch) moved -= PitchClass.Count;
        while (moved < Tuning.MinPitch) moved += PitchClass.Count;
        return moved;
    }
}
