using System.CommandLine;
using CrnnGan.Generation;
using CrnnGan.Training;

namespace CrnnGan.Cli.Commands;

/// <summary>generate's and evaluate's --composer and --genre: the label a conditioned model writes (at most one of them).</summary>
internal sealed record LabelRequest(ConditionLabel Kind, string Name)
{
    public static Option<string?> ComposerOption(bool evaluate = false) => Create("composer", evaluate);

    public static Option<string?> GenreOption(bool evaluate = false) => Create("genre", evaluate);

    private static Option<string?> Create(string kind, bool evaluate) => new($"--{kind}")
    {
        Description = $"With a model trained with data.condition={kind}: " +
                      (evaluate
                          ? $"generate this {kind}'s music (any case) and measure it against the real songs of this {kind} alone " +
                            CliOptions.Default("each song's drawn in proportion to the training songs, against all real songs")
                          : $"write this {kind}'s music (any case) {CliOptions.Default("each song's drawn in proportion to the training songs")}"),
        HelpName = "NAME",
    };

    /// <summary>The request, or null without either option.</summary>
    public static LabelRequest? From(string? composer, string? genre)
    {
        if (composer is not null && genre is not null) throw new UsageException("give --composer or --genre, not both");
        if (composer is { Length: 0 } || genre is { Length: 0 }) throw new UsageException($"--{(composer is not null ? "composer" : "genre")} needs a name");
        return composer is not null ? new LabelRequest(ConditionLabel.Composer, composer)
            : genre is not null ? new LabelRequest(ConditionLabel.Genre, genre) : null;
    }

    /// <summary>"composer" or "genre".</summary>
    public string KindName => SettingKeys.EnumName(Kind.ToString());

    /// <summary>The option that asked: --composer or --genre.</summary>
    public string Option => "--" + KindName;

    /// <summary>The name as <paramref name="model"/> knows it, checked against its labels.</summary>
    /// <exception cref="UsageException">The model is not conditioned, is conditioned on the other kind, or knows no such name.</exception>
    public string For(TrainedModel model)
    {
        if (model.Labels is not { } labels)
            throw new UsageException($"{Option} {Name}: {model.CheckpointPath} was not trained by composer or genre (train with --set data.condition=composer or genre)");
        if (labels.Kind != Kind)
            throw new UsageException($"{Option} {Name}: {model.CheckpointPath} was trained by {labels.KindName}; use --{labels.KindName} ({string.Join(", ", labels.Names)})");
        try
        {
            return labels.Names[labels.Require(Name)];
        }
        catch (UnknownLabelException e)
        {
            throw new UsageException($"{Option} {Name}: {e.Message}");
        }
    }
}
