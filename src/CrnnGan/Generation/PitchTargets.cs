using CrnnGan.Data;
using CrnnGan.Midi;

namespace CrnnGan.Generation;

/// <summary>
/// A key and a register a user asks of generated songs, honoured by transposing each whole song: a C-RNN-GAN's G
/// cannot be told a key (it takes noise and its own previous output), but moving every note by the same interval keeps
/// everything a listener hears in a song except where it sits, so any model can honour these.
/// </summary>
/// <param name="Key">The key each song is moved into: of the twelve transpositions, the one whose estimated key
/// (<see cref="MusicKey.Estimate"/>) is the asked key. Moving a song never changes its mode, so a song that reads as
/// major asked for a minor key (or the other way) is moved to the key that shares the asked key's notes (its relative
/// major or minor: asked for A minor, C major); a song whose key is unclear, to the move that fits the asked key's
/// profile best.</param>
/// <param name="MeanPitch">The mean MIDI pitch each song is moved nearest to: by octaves when a key is also asked (so
/// the key holds), else by semitones.</param>
public sealed record PitchTargets(MusicKey? Key, double? MeanPitch)
{
    public const int LowestMeanPitch = 21, HighestMeanPitch = 108;

    public bool IsEmpty => Key is null && MeanPitch is null;

    /// <summary>The semitones to move <paramref name="notes"/> by; notes never leave MIDI's 0-127 when the song fits in it.</summary>
    public int ShiftFor(IReadOnlyList<Note> notes)
    {
        if (notes.Count == 0 || IsEmpty) return 0;
        int lowest = notes.Min(n => n.Pitch), highest = notes.Max(n => n.Pitch);
        int down = Tuning.MinPitch - lowest, up = Tuning.MaxPitch - highest;
        double mean = notes.Average(n => n.Pitch);
        if (Key is not MusicKey key)
            return Math.Clamp((int)Math.Round(MeanPitch!.Value - mean, MidpointRounding.AwayFromZero), down, up);

        int step = BestStep(notes, key);
        double target = MeanPitch ?? mean; // without a register: the transposition nearest where the song was
        var candidates = Enumerable.Range(-11, 23).Select(k => step + 12 * k).Where(s => s >= down && s <= up).ToList();
        return candidates.Count == 0 ? 0 : candidates.MinBy(s => Math.Abs(mean + s - target));
    }

    /// <summary>The move by 0-11 semitones that puts the song in <paramref name="key"/>, or in its relative key when the
    /// song's mode is the other one; for a song without a clear key, the move that fits the key's profile best. Key
    /// finding moves with the song, so one estimate says where every move lands.</summary>
    private static int BestStep(IReadOnlyList<Note> notes, MusicKey key)
    {
        if (MusicKey.Estimate(notes) is not MusicKey found) return Enumerable.Range(0, 12).MaxBy(s => key.Fit(Shifted(notes, s)));
        var target = found.Minor == key.Minor ? key : key.Relative;
        return ((target.Tonic - found.Tonic) % 12 + 12) % 12;
    }

    public IReadOnlyList<Note> Apply(IReadOnlyList<Note> notes)
    {
        int shift = ShiftFor(notes);
        return shift == 0 ? notes : Shifted(notes, shift);
    }

    private static List<Note> Shifted(IReadOnlyList<Note> notes, int semitones) => notes.Select(n => n with { Pitch = n.Pitch + semitones }).ToList();

    /// <summary>Reads a register: a MIDI note number (21-108) or a note name with its octave, C4 being 60 ("A3", "F#5", "Bb2").</summary>
    public static bool TryParseRegister(string? text, out int pitch)
    {
        pitch = 0;
        string s = (text ?? "").Trim();
        if (int.TryParse(s, out int number)) return (pitch = number) is >= LowestMeanPitch and <= HighestMeanPitch;
        if (!MusicKey.TryParseNoteName(s, out int fromC, out int used) || !int.TryParse(s[used..], out int octave) || s[used..].StartsWith('+'))
            return false;
        pitch = 12 * (octave + 1) + fromC; // Cb4 is B3, B#3 is C4
        return pitch is >= LowestMeanPitch and <= HighestMeanPitch;
    }
}
