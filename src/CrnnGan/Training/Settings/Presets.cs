using System.Text.Json;

namespace CrnnGan.Training;

/// <summary>
/// Settings files shipped with crnngan (presets/*.json in the repository, embedded in the library): <c>crnngan</c>
/// (the default), <c>demo</c> (the default on the built-in synthetic corpus), <c>paper</c> and <c>bundled-classical</c>.
/// Any settings file works the same way: a copy of a preset, or a run's own config.json.
/// </summary>
public static class Presets
{
    public const string Default = "crnngan";

    /// <summary>The preset of a run given no preset and no MIDI folder: small and quick on the synthetic corpus, so that a
    /// first run shows learning in minutes.</summary>
    public const string Demo = "demo";
    private const string ResourcePrefix = "presets/";

    public static IReadOnlyList<string> Names { get; } = typeof(Presets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The text of the shipped preset <paramref name="name"/>.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(Presets).Assembly.GetManifestResourceStream($"{ResourcePrefix}{name}.json")
            ?? throw new ArgumentException($"no preset named '{name}' (the presets: {string.Join(", ", Names)})");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A shipped preset by name, or a settings file by path.</summary>
    /// <exception cref="ArgumentException">No such preset or file, or the file does not hold usable settings; the message says which and why.</exception>
    public static TrainingConfig Load(string nameOrPath)
    {
        bool isName = Names.Contains(nameOrPath);
        if (!isName && !File.Exists(nameOrPath))
            throw new ArgumentException(Directory.Exists(nameOrPath)
                ? $"{nameOrPath} is a folder; give a settings file (a run's config.json) or a preset: {string.Join(", ", Names)}"
                : $"no preset named '{nameOrPath}' and no such file (the presets: {string.Join(", ", Names)})");
        string source = isName ? $"preset {nameOrPath}" : nameOrPath;
        try
        {
            return SettingsJson.Read(isName ? Text(nameOrPath) : File.ReadAllText(nameOrPath));
        }
        catch (Exception e) when (e is JsonException or SettingException or RetiredSettingException)
        {
            throw new ArgumentException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>The settings of a new run: a preset or settings file, then each <c>key=value</c> in order, checked.
    /// Without a preset: <see cref="Default"/>, or <see cref="Demo"/> when no <c>data.path</c> is given either.</summary>
    /// <exception cref="SettingException">An override or the resulting settings are not usable, naming the key.</exception>
    public static TrainingConfig Resolve(string? preset, IEnumerable<string> overrides)
    {
        var given = overrides.ToList();
        var config = SettingOverrides.Apply(Load(preset ?? Default), given);
        if (preset is null && config.Data.Path is null)
            config = SettingOverrides.Apply(Load(Demo), given);
        config.Validate();
        return config;
    }
}
