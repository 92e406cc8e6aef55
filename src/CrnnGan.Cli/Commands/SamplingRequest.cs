using System.CommandLine;
using CrnnGan.Generation;
using CrnnGan.Model;

namespace CrnnGan.Cli.Commands;

/// <summary>How generate, evaluate and export are asked to sample G: --noise-scale and --top-p as read, each null when
/// not given (the model's own).</summary>
internal sealed record SamplingRequest(NoiseScales? Scales, ChoiceTopP? TopP, IReadOnlyCollection<ChosenFeature>? TopPNamed = null)
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
        IReadOnlyCollection<ChosenFeature>? named = null;
        if (noiseScale is not null) scales = NoiseScales.Parse(noiseScale, out string? error) ?? throw new UsageException($"--noise-scale {error}");
        if (topP is not null) shares = ChoiceTopP.Parse(topP, out named, out string? error) ?? throw new UsageException($"--top-p {error}");
        return new SamplingRequest(scales, shares, named);
    }

    /// <summary>True when neither option was given.</summary>
    public bool IsModelsOwn => Scales is null && TopP is null;

    /// <summary>What <paramref name="model"/> is sampled at: the scales and top-p asked for, each else the model's own.</summary>
    /// <exception cref="UsageException">A scale or share names a feature the model's G does not choose from a table.</exception>
    public NoiseScales For(TrainedModel model)
    {
        var chosen = model.Generator.Choices?.Columns.Select(c => c.Feature).ToList() ?? [];
        RequireChosen("--noise-scale", Scales?.OwnScaled ?? [], chosen, " (it says every value as a number); give one number");
        RequireChosen("--top-p", TopPNamed ?? [], chosen, " (it says every value as a number)");
        if (TopP is { IsOff: false } && chosen.Count == 0)
            throw new UsageException("--top-p: this model chooses no value from a table (it says every value as a number), so there is nothing to cut");
        // A share without a name applies to the features this G chooses.
        return (Scales ?? model.NoiseScale) with { TopP = (TopP ?? model.NoiseScale.TopP).Only(chosen) };
    }

    /// <summary>"; noise scale 0.85 (the model's own)" for a line that says how songs were made; empty when nothing is scaled or cut.</summary>
    public string Describe(NoiseScales used, string separator)
    {
        if (used.IsOne) return "";
        string own = IsModelsOwn ? " (the model's own)"
            : Scales is null ? " (the scales the model's own)"
            : TopP is null && !used.TopP.IsOff ? " (the top-p the model's own)" : "";
        return $"{separator}noise scale {used}{own}";
    }

    private static void RequireChosen(string option, IEnumerable<ChosenFeature> named, List<ChosenFeature> chosen, string whenNone)
    {
        var missing = named.Where(f => !chosen.Contains(f)).ToList();
        if (missing.Count == 0) return;
        string name = NoiseScales.Name(missing[0]);
        throw new UsageException($"{option} {name}=...: this model does not choose {name} from a table" +
                                 (chosen.Count == 0 ? whenNone : $"; it chooses {string.Join(", ", chosen.Select(NoiseScales.Name))}"));
    }
}
