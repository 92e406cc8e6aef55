using System.Globalization;

namespace CrnnGan.Model;

/// <summary>A value G can choose from a table instead of saying it as a number (see <see cref="ChoiceHead"/>).</summary>
public enum ChosenFeature { Length, Pitch, Time, Velocity }

/// <summary>
/// G's temperature when it runs free: the scale of each step's uniform noise about its middle (<see cref="Step"/>) and,
/// for a G that chooses values from tables, the scale of the Gumbel noise of each chosen feature (0 takes the highest
/// score, 1 draws from the softmax of the scores, above 1 wilder). A chosen feature not given its own scale takes
/// <see cref="Step"/>'s. The noise drawn once per song is never scaled. <see cref="TopP"/> cuts the chosen features'
/// tails besides.
/// </summary>
/// <remarks>
/// Why per feature: a pitch drawn from the tail of its softmax is a wrong note that a listener hears at once, while a
/// length or velocity drawn there is merely unusual. The bundled G at one scale of 0.85 for all has 1.5 times the
/// corpus's share of tones a semitone above the tonic; its pitches at 0.6 and the rest at 0.85 bring that share to
/// the corpus's, and repeat top-line pitches twice as often as the corpus (docs/log/2026-12-07-pitch-temperature.md).
/// </remarks>
public sealed record NoiseScales(double Step, double? Pitch = null, double? Time = null, double? Length = null, double? Velocity = null)
{
    /// <summary>The largest scale accepted anywhere.</summary>
    public const double Max = 4;

    public static NoiseScales One { get; } = new(1);

    /// <summary>The chosen features drawn among their likeliest entries alone (nucleus sampling); none by default.</summary>
    public ChoiceTopP TopP { get; init; } = ChoiceTopP.Off;

    public static implicit operator NoiseScales(double step) => new(step);

    /// <summary>The scale of <paramref name="feature"/>'s Gumbel noise.</summary>
    public double Of(ChosenFeature feature) => Own(feature) ?? Step;

    /// <summary>True when every noise is drawn as it is (all scales 1, no feature cut).</summary>
    public bool IsOne => Step == 1 && Enum.GetValues<ChosenFeature>().All(f => Of(f) == 1) && TopP.IsOff;

    /// <summary>The chosen features given a scale of their own, by name (pitch, time, length, velocity).</summary>
    public IReadOnlyDictionary<string, double> OwnScales =>
        OwnScaled.ToDictionary(Name, f => Own(f)!.Value);

    /// <summary>The chosen features given a scale of their own.</summary>
    public IEnumerable<ChosenFeature> OwnScaled => Enum.GetValues<ChosenFeature>().Where(f => Own(f) is not null);

    /// <summary><see cref="Step"/> with the features of <paramref name="own"/> (by name) at their own scales.</summary>
    /// <exception cref="ArgumentException">A name is not a chosen feature's, or a scale is not 0 to <see cref="Max"/>.</exception>
    public static NoiseScales With(double step, IReadOnlyDictionary<string, double>? own)
    {
        if (!InRange(step)) throw new ArgumentException($"a noise scale must be 0 to {Max}, got {step}");
        var scales = new NoiseScales(step);
        foreach (var (name, value) in own ?? new Dictionary<string, double>())
        {
            if (!InRange(value)) throw new ArgumentException($"a noise scale must be 0 to {Max}, got {value} for {name}");
            scales = scales.WithOwn(FeatureNamed(name) ?? throw new ArgumentException($"no chosen feature is named '{name}'"), value);
        }
        return scales;
    }

    /// <summary>How a feature is named in "0.85,pitch=0.6" and in a generator file: pitch, time, length, velocity.</summary>
    public static string Name(ChosenFeature feature) => feature.ToString().ToLowerInvariant();

    /// <summary>
    /// Reads "0.85" (every noise), "0.85,pitch=0.6" (pitches at 0.6, the rest at 0.85) or "pitch=0.6" (the rest at 1);
    /// names are pitch, time, length and velocity, any case. Null with <paramref name="error"/> saying what is wrong, to
    /// follow the option's name ("must be 0 to 4, got 9").
    /// </summary>
    public static NoiseScales? Parse(string text, out string? error)
    {
        if (FeatureValues.Parse(text, "number", $"0 to {Max}", InRange, out error) is not var (step, named)) return null;
        var scales = new NoiseScales(step ?? 1);
        foreach (var (feature, value) in named) scales = scales.WithOwn(feature, value);
        return scales;
    }

    /// <summary>"0.85", "0.85 (pitch 0.6)" when a feature has its own, "0.85, top-p velocity 0.97" with a nucleus.</summary>
    public override string ToString()
    {
        string step = Step.ToString(CultureInfo.InvariantCulture);
        var own = OwnScales.Select(p => $"{p.Key} {p.Value.ToString(CultureInfo.InvariantCulture)}").ToList();
        string scales = own.Count == 0 ? step : $"{step} ({string.Join(", ", own)})";
        return TopP.IsOff ? scales : $"{scales}, top-p {TopP}";
    }

    private double? Own(ChosenFeature feature) => feature switch
    {
        ChosenFeature.Pitch => Pitch,
        ChosenFeature.Time => Time,
        ChosenFeature.Length => Length,
        _ => Velocity,
    };

    private NoiseScales WithOwn(ChosenFeature feature, double value) => feature switch
    {
        ChosenFeature.Pitch => this with { Pitch = value },
        ChosenFeature.Time => this with { Time = value },
        ChosenFeature.Length => this with { Length = value },
        _ => this with { Velocity = value },
    };

    private static bool InRange(double scale) => scale >= 0 && scale <= Max;

    internal static ChosenFeature? FeatureNamed(string name) =>
        Enum.GetValues<ChosenFeature>().Where(f => string.Equals(Name(f), name, StringComparison.OrdinalIgnoreCase)).Select(f => (ChosenFeature?)f).FirstOrDefault();
}
