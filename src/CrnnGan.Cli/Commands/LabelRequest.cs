using System.CommandLine;
using CrnnGan.Generation;
using CrnnGan.Training;

namespace CrnnGan.Cli.Commands;

/// <summary>generate's --composer and --genre: the label a conditioned model writes (at most one of them).</summary>
internal sealed record LabelRequest(ConditionLabel Kind, string Name)
{
    public static Option<string?> ComposerOption() => new("--composer")
    {
        Description = "With a model trained with data.condition=composer: write this composer's music (any case) " +
                      CliOptions.Default("each song's drawn in proportion to the training songs"),
        HelpName = "NAME",
    };

    public static Option<string?> GenreOption() => new("--genre")
    {
        Description = "With a model trained with data.condition=genre: write this genre's music (any case) " +
                      CliOptions.Default("each song's drawn in proportion to the training songs"),
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

    private string Option => "--" + SettingKeys.EnumName(Kind.ToString());

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
