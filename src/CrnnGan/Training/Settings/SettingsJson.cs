using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CrnnGan.Training;

/// <summary>
/// Settings as JSON: <c>{"model": {"hidden": 350, ...}, "optimisation": {...}, "losses": {...}, "data": {...}, "run": {...}}</c>.
/// Reading refuses unknown keys and values of the wrong kind with the key's name; a key left out keeps its default
/// (the paper's). Files written before settings were grouped (flat, PascalCase) are read through
/// <see cref="LegacyTrainingConfig"/>.
/// </summary>
public static class SettingsJson
{
    /// <summary>How each group is written: snake_case keys, enum values as snake_case text.</summary>
    internal static readonly JsonSerializerOptions GroupOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    private static readonly JsonSerializerOptions FileOptions = new() { WriteIndented = true };

    public static string Write(TrainingConfig config) => JsonSerializer.Serialize(config, FileOptions);

    /// <exception cref="SettingException">A key is unknown or a value is of the wrong kind.</exception>
    /// <exception cref="RetiredSettingException">The settings of an older crnngan use a setting it no longer has.</exception>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static TrainingConfig Read(string json) =>
        JsonSerializer.Deserialize<TrainingConfig>(json, FileOptions) ?? throw new JsonException("the settings are null");

    /// <summary>The settings as a JSON tree, for overriding keys one by one.</summary>
    internal static JsonObject ToTree(TrainingConfig config) => JsonNode.Parse(Write(config))!.AsObject();

    internal static TrainingConfig FromTree(JsonObject tree) => Read(tree.ToJsonString());

    internal static TrainingConfig FromElement(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new JsonException("settings must be a JSON object of groups (model, optimisation, losses, data, run)");
        if (root.EnumerateObject().Any(p => p.Name.Length > 0 && char.IsUpper(p.Name[0])))
            return LegacyTrainingConfig.Read(root);

        var config = new TrainingConfig();
        foreach (var group in root.EnumerateObject())
        {
            config = group.Name switch
            {
                "model" => config with { Model = ReadGroup<ModelSettings>(group) },
                "optimisation" => config with { Optimisation = ReadGroup<OptimisationSettings>(group) },
                "losses" => config with { Losses = ReadGroup<LossSettings>(group) },
                "data" => config with { Data = ReadGroup<DataSettings>(group) },
                "run" => config with { Run = ReadGroup<RunSettings>(group) },
                "labels" => config with { Labels = LabelSet.Read(group.Value) },
                _ => throw SettingKeys.Unknown(group.Name),
            };
        }
        return config;
    }

    /// <summary>Settings removed since settings became data, with the value that leaves them unused (files written
    /// while they existed hold it, and still read) and the git tag that still has them.</summary>
    internal static readonly Dictionary<string, (string Off, string Tag)> Retired = new()
    {
        ["model.length_after_pitch"] = ("false", "length-after-pitch-2026-12-06 (commit fed708f)"),
        ["model.song_key_scores"] = ("false", "song-key-scores-2026-12-06 (commit cc9c827)"),
        ["model.song_repeat_traits"] = ("false", "song-repeat-traits-2026-12-07 (commit e5b8046)"),
        ["data.transpose"] = ("0", "transpose-2026-12-07 (commit 872eb66)"),
        ["losses.scheduled_sampling"] = ("0", "scheduled-sampling-2026-12-07 (commit da86319)"),
        ["model.song_progress"] = ("false", "song-progress-2026-12-07 (commit c313aa3)"),
        ["model.chords_from_top"] = ("false", "chords-from-top-2026-12-07 (commit 9d7d3db)"),
        ["model.onset_intervals"] = ("false", "chords-from-top-2026-12-07 (commit 9d7d3db)"),
        ["model.velocity_memory"] = ("false", "velocity-memory-2026-12-07 (commit 11a4075)"),
        ["model.register_prior"] = ("0", "register-prior-2026-12-08 (commit c7ceb40)"),
    };

    private static T ReadGroup<T>(JsonProperty group)
    {
        if (group.Value.ValueKind != JsonValueKind.Object)
            throw new SettingException(group.Name, $"must be a group of settings ({{\"name\": value, ...}}), got {group.Value.GetRawText()}");
        foreach (var setting in group.Value.EnumerateObject())
        {
            string key = $"{group.Name}.{setting.Name}";
            if (Retired.TryGetValue(key, out var retired))
            {
                if (setting.Value.GetRawText() == retired.Off) continue; // written by the crnngan that had it, unused
                throw new RetiredSettingException($"{key} was removed after its experiment (it measured no gain); these settings use it. " +
                                                  $"The git tag {retired.Tag} has it: check it out to train or load them.");
            }
            if (SettingKeys.Find(key) is null)
                throw SettingKeys.Unknown(key);
        }
        try
        {
            return group.Value.Deserialize<T>(GroupOptions)!;
        }
        catch (JsonException e) when (e.Path is string path && path.StartsWith("$.", StringComparison.Ordinal))
        {
            var key = SettingKeys.Find($"{group.Name}.{path[2..]}");
            if (key is null) throw;
            string given = group.Value.GetProperty(key.Name).GetRawText();
            throw new SettingException(key.Key, $"must be {key.Kind}, got {given}");
        }
    }
}

/// <summary>Reads and writes <see cref="TrainingConfig"/> wherever it is stored: presets, config.json, file headers.</summary>
public sealed class TrainingConfigJsonConverter : JsonConverter<TrainingConfig>
{
    public override TrainingConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return SettingsJson.FromElement(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, TrainingConfig value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        WriteGroup(writer, "model", value.Model);
        WriteGroup(writer, "optimisation", value.Optimisation);
        WriteGroup(writer, "losses", value.Losses);
        WriteGroup(writer, "data", value.Data);
        WriteGroup(writer, "run", value.Run);
        if (value.Labels is not null) WriteGroup(writer, "labels", value.Labels);
        writer.WriteEndObject();
    }

    private static void WriteGroup<T>(Utf8JsonWriter writer, string name, T group)
    {
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, group, SettingsJson.GroupOptions);
    }
}
