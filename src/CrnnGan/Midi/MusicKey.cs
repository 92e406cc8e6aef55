using System.Globalization;

namespace CrnnGan.Midi;

/// <summary>A key: its tonic's pitch class (C = 0) and whether it is minor.</summary>
public readonly record struct MusicKey(int Tonic, bool Minor)
{
    private static readonly string[] SharpNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    // Krumhansl and Kessler's probe-tone ratings (1982): how well each pitch class above the tonic fits a major or minor key.
    private static readonly double[] MajorProfile = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
    private static readonly double[] MinorProfile = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

    /// <summary>The key with the same notes and the other mode: A minor for C major, C major for A minor.</summary>
    public MusicKey Relative => Minor ? new MusicKey((Tonic + 3) % 12, false) : new MusicKey((Tonic + 9) % 12, true);

    /// <summary>E.g. "D minor", "F# major".</summary>
    public override string ToString() => $"{SharpNames[Tonic]} {(Minor ? "minor" : "major")}";

    /// <summary>
    /// Reads "D minor", "d minor", "Dm", "Bb major", "F#", "Eb min": a tonic letter with an optional sharp (#) or flat (b),
    /// then major (the default), minor, maj, min or m.
    /// </summary>
    public static bool TryParse(string? text, out MusicKey key)
    {
        key = default;
        string s = (text ?? "").Trim();
        if (!TryParseNoteName(s, out int fromC, out int used)) return false;
        string mode = s[used..].Trim();
        bool? minor = mode == "M" ? false // upper-case M is major by convention (CM), lower-case m minor (Cm)
            : mode.ToLower(CultureInfo.InvariantCulture) switch
            {
                "" or "major" or "maj" => false,
                "minor" or "min" or "m" => true,
                _ => null,
            };
        if (minor is null) return false;
        key = new MusicKey(((fromC % 12) + 12) % 12, minor.Value);
        return true;
    }

    /// <summary>
    /// Reads a note name at the start of <paramref name="text"/>: a letter A-G (any case) and an optional sharp (#, ♯) or
    /// flat (b, ♭); <paramref name="fromC"/> is its semitones above C, -1 for Cb to 12 for B# (an octave's edge crossed);
    /// <paramref name="used"/> how many characters it took.
    /// </summary>
    internal static bool TryParseNoteName(string text, out int fromC, out int used)
    {
        fromC = used = 0;
        if (text.Length == 0) return false;
        int letter = "CDEFGAB".IndexOf(char.ToUpperInvariant(text[0]));
        if (letter < 0) return false;
        fromC = new[] { 0, 2, 4, 5, 7, 9, 11 }[letter];
        used = 1;
        if (text.Length > 1 && text[1] is '#' or '♯') (fromC, used) = (fromC + 1, 2);
        else if (text.Length > 1 && text[1] is 'b' or '♭') (fromC, used) = (fromC - 1, 2); // no mode word starts with b
        return true;
    }

    /// <summary>
    /// The key whose Krumhansl-Kessler profile correlates best with the notes' pitch classes, each note weighted by its
    /// length (Krumhansl-Schmuckler key finding); null for no notes or a single pitch class.
    /// </summary>
    public static MusicKey? Estimate(IEnumerable<Note> notes)
    {
        var weights = PitchClassWeights(notes);
        if (weights.Count(w => w > 0) < 2) return null;
        MusicKey best = default;
        double bestCorrelation = double.NegativeInfinity;
        for (int tonic = 0; tonic < 12; tonic++)
        {
            foreach (bool minor in new[] { false, true })
            {
                double r = Correlation(weights, minor ? MinorProfile : MajorProfile, tonic);
                if (r > bestCorrelation) (bestCorrelation, best) = (r, new MusicKey(tonic, minor));
            }
        }
        return best;
    }

    /// <summary>How well the notes fit this key: the correlation of their length-weighted pitch classes with its profile.</summary>
    public double Fit(IEnumerable<Note> notes) => Correlation(PitchClassWeights(notes), Minor ? MinorProfile : MajorProfile, Tonic);

    private static double[] PitchClassWeights(IEnumerable<Note> notes)
    {
        var weights = new double[12];
        foreach (var note in notes) weights[((note.Pitch % 12) + 12) % 12] += Math.Max(1, note.LengthTicks);
        return weights;
    }

    /// <summary>Pearson correlation of the weights with the profile turned to <paramref name="tonic"/>; 0 when either is flat.</summary>
    private static double Correlation(double[] weights, double[] profile, int tonic)
    {
        double meanW = weights.Average(), meanP = profile.Average();
        double sw = 0, sp = 0, swp = 0;
        for (int pc = 0; pc < 12; pc++)
        {
            double w = weights[pc] - meanW, p = profile[((pc - tonic) % 12 + 12) % 12] - meanP;
            sw += w * w; sp += p * p; swp += w * p;
        }
        return sw == 0 || sp == 0 ? 0 : swp / Math.Sqrt(sw * sp);
    }
}
