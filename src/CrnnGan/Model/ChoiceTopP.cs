using System.Globalization;

namespace CrnnGan.Model;

/// <summary>
/// Nucleus sampling (top-p, Holtzman et al. 2020) of the features G chooses from tables when it runs free: each such
/// feature given a share draws only among its likeliest entries that together hold that share of the probability (at
/// its noise scale, see <see cref="NoiseScales"/>); a feature not given one draws among all its entries.
/// </summary>
/// <remarks>
/// Why: a temperature shrinks a distribution's tails and its spread together, a nucleus cuts the tails alone. The
/// bundled G's velocities at temperature 1 spread within a song as the corpus's do (standard deviation 8.6 against
/// 9.0), but a few drawn from the far tail give its songs 1.4 times the corpus's velocity span, after the top line's
/// leaps the feature that best told its songs from real ones; at 0.85 both span and spread fall short
/// (docs/log/2026-12-08-velocity-top-p.md).
/// </remarks>
public sealed record ChoiceTopP(double? Pitch = null, double? Time = null, double? Length = null, double? Velocity = null)
{
    /// <summary>Every feature drawn among all its entries.</summary>
    public static ChoiceTopP Off { get; } = new();

    /// <summary>The share of probability <paramref name="feature"/> draws among (1: all; a share above 1 is 1).</summary>
    public double Of(ChosenFeature feature) => Own(feature) is double share && share < 1 ? share : 1;

    /// <summary>True when no feature is cut.</summary>
    public bool IsOff => Enum.GetValues<ChosenFeature>().All(f => Of(f) == 1);

    /// <summary>The features given a share below 1, by name (pitch, time, length, velocity).</summary>
    public IReadOnlyDictionary<string, double> Shares =>
        Cut.ToDictionary(NoiseScales.Name, f => Of(f));

    /// <summary>The features given a share below 1.</summary>
    public IEnumerable<ChosenFeature> Cut => Enum.GetValues<ChosenFeature>().Where(f => Of(f) < 1);

    /// <summary>The shares of <paramref name="shares"/> (by name, as <see cref="Shares"/> gives them); null: none.</summary>
    /// <exception cref="ArgumentException">A name is not a chosen feature's, or a share is not above 0 and at most 1.</exception>
    public static ChoiceTopP With(IReadOnlyDictionary<string, double>? shares)
    {
        var topP = Off;
        foreach (var (name, share) in shares ?? new Dictionary<string, double>())
        {
            if (!InRange(share)) throw new ArgumentException($"a top-p share must be above 0 and at most 1, got {share} for {name}");
            topP = topP.WithOwn(NoiseScales.FeatureNamed(name) ?? throw new ArgumentException($"no chosen feature is named '{name}'"), share);
        }
        return topP;
    }

    /// <summary>
    /// Reads "0.97" (every chosen feature), "velocity=0.97,length=0.99" (those features, the rest uncut) or
    /// "0.99,velocity=0.97" (velocity at 0.97, the rest at 0.99); names as in <see cref="NoiseScales.Parse"/>. Null
    /// with <paramref name="error"/> saying what is wrong, to follow the option's name ("must be above 0 and at most 1,
    /// got 0").
    /// </summary>
    public static ChoiceTopP? Parse(string text, out string? error) => Parse(text, out _, out error);

    /// <summary>As <see cref="Parse(string, out string?)"/>, with the features named in <paramref name="text"/> (not those a share without a name gave).</summary>
    public static ChoiceTopP? Parse(string text, out IReadOnlyCollection<ChosenFeature> named, out string? error)
    {
        named = [];
        if (FeatureValues.Parse(text, "share", "above 0 and at most 1", InRange, out error) is not var (every, shares)) return null;
        named = [.. shares.Keys];
        var topP = Off;
        foreach (var feature in Enum.GetValues<ChosenFeature>())
        {
            double? share = shares.TryGetValue(feature, out double own) ? own : every;
            if (share is double value) topP = topP.WithOwn(feature, value);
        }
        return topP;
    }

    /// <summary>These shares for <paramref name="features"/> alone, the rest uncut.</summary>
    public ChoiceTopP Only(IEnumerable<ChosenFeature> features)
    {
        var kept = Off;
        foreach (var feature in features) kept = kept.WithOwn(feature, Of(feature));
        return kept;
    }

    /// <summary>"velocity 0.97, length 0.99", or "off".</summary>
    public override string ToString() =>
        IsOff ? "off" : string.Join(", ", Shares.Select(p => $"{p.Key} {p.Value.ToString(CultureInfo.InvariantCulture)}"));

    private double? Own(ChosenFeature feature) => feature switch
    {
        ChosenFeature.Pitch => Pitch,
        ChosenFeature.Time => Time,
        ChosenFeature.Length => Length,
        _ => Velocity,
    };

    // A share of 1 cuts nothing: kept as no share, so that equal cuts are equal records.
    private ChoiceTopP WithOwn(ChosenFeature feature, double share)
    {
        double? own = share >= 1 ? null : share;
        return feature switch
        {
            ChosenFeature.Pitch => this with { Pitch = own },
            ChosenFeature.Time => this with { Time = own },
            ChosenFeature.Length => this with { Length = own },
            _ => this with { Velocity = own },
        };
    }

    private static bool InRange(double share) => share > 0 && share <= 1;
}
