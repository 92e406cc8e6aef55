using System.CommandLine;
using CrnnGan.Generation;
using CrnnGan.Model;

namespace CrnnGan.Cli.Commands;

/// <summary>How generate, evaluate and export are asked to sample G: --noise-scale and --top-p as read, each null when
/// not given (the model's own).</summary>
internal sealed record SamplingRequest(NoiseScales? Scales, ChoiceTopP? TopP)
{
    /// <summary>G's temperature, shared by generate and evaluate.</summary>
    public static Option<string?> NoiseScaleOption() =>
        new("--noise-scale")
        {
            Description = "Scale of G's noise at each step: below 1 steadier songs (0: each song follows from its song noise alone), " +
                          $"above 1 wilder (0 to {NoiseScales.Max}); a G that chooses pitch, time, length or velocity from tables can take " +
                          $"one of its own, e.g. 0.85,pitch=0.6 {CliOptions.Default("the model's own, stored by export --noise-scale, else 1")}",
            HelpName = "SCALES",
        };

    /// <summary>Nucleus sampling, shared by generate, evaluate and export.</summary>
    public static Option<string?> TopPOption() =>
        new("--top-p")
        {
            Description = "Draw a feature G chooses from a table only among its likeliest values that together hold this share of the " +
                          "probability (nucleus sampling; above 0, at most 1 = all): one share for all, or per feature, e.g. velocity=0.97 " +
                          CliOptions.Default("the model's own, stored by export --top-p, else 1"),
            HelpName = "SHARES",
        };

    /// <summary>The options as given, checked.</summary>
    public static SamplingRequest Read(string? noiseScale, string? topP)
    {
        NoiseScales? scales = null;
        ChoiceTopP? shares = null;
        if (noiseScale is not null) scales = NoiseScales.Parse(noiseScale, out string? error) ?? throw new UsageException($"--noise-scale {error}");
        if (topP is not null) shares = ChoiceTopP.Parse(topP, out string? error) ?? throw new UsageException($"--top-p {error}");
        return new SamplingRequest(scales, shares);
    }

    /// <summary>True when neither option was given.</summary>
    public bool IsModelsOwn => Scales is null && TopP is null;

    /// <summary>What <paramref name="model"/> is sampled at: the scales and top-p asked for, each else the model's own.</summary>
    /// <exception cref="UsageException">A scale or share names a feature the model's G does not choose from a table.</exception>
    public NoiseScales For(TrainedModel model)
    {
        var chosen = model.Generator.Choices?.Columns.Select(c => c.Feature).ToList() ?? [];
        RequireChosen("--noise-scale", Scales?.OwnScaled ?? [], chosen);
        RequireChosen("--top-p", TopP is null || AllCut(TopP) ? [] : TopP.Cut, chosen);
        return (Scales ?? model.NoiseScale) with { TopP = TopP ?? model.NoiseScale.TopP };
    }

    /// <summary>"; noise scale 0.85 (the model's own)" for a line that says how songs were made; empty when nothing is scaled or cut.</summary>
    public string Describe(NoiseScales used, string separator) =>
        used.IsOne ? "" : $"{separator}noise scale {used}{(IsModelsOwn ? " (the model's own)" : "")}";

    // "0.97" cuts every feature, also those this G does not choose: nothing to refuse.
    private static bool AllCut(ChoiceTopP topP) => Enum.GetValues<ChosenFeature>().All(f => topP.Of(f) < 1);

    private static void RequireChosen(string option, IEnumerable<ChosenFeature> named, List<ChosenFeature> chosen)
    {
        var missing = named.Where(f => !chosen.Contains(f)).ToList();
        if (missing.Count == 0) return;
        string name = NoiseScales.Name(missing[0]);
        throw new UsageException($"{option} {name}=...: this model does not choose {name} from a table" +
                                 (chosen.Count == 0 ? " (it says every value as a number); give one number"
                                                    : $"; it chooses {string.Join(", ", chosen.Select(NoiseScales.Name))}"));
    }
}
