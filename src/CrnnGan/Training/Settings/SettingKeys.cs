using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrnnGan.Training;

/// <summary>One setting: its key (<c>group.name</c>) and the property that holds it.</summary>
public sealed record SettingKey(string Group, string Name, PropertyInfo Property)
{
    public string Key => $"{Group}.{Name}";

    /// <summary>What a value of this setting looks like, in the user's terms: "a whole number", "true or false".</summary>
    public string Kind => KindOf(Property.PropertyType);

    private static string KindOf(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return KindOf(inner) + " or null";
        if (type == typeof(int)) return "a whole number";
        if (type == typeof(double)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(SettingKeys.EnumName));
        return type == typeof(string) ? "text" : type.Name;
    }
}

/// <summary>Every setting of a <see cref="TrainingConfig"/>, by group, read from the group records themselves.</summary>
public static class SettingKeys
{
    /// <summary>The groups in the order a settings file lists them, with the record type each one is.</summary>
    public static readonly IReadOnlyList<(string Name, Type Type)> Groups =
    [
        ("model", typeof(ModelSettings)),
        ("optimisation", typeof(OptimisationSettings)),
        ("losses", typeof(LossSettings)),
        ("data", typeof(DataSettings)),
        ("run", typeof(RunSettings)),
    ];

    public static readonly IReadOnlyList<SettingKey> All = Groups
        .SelectMany(g => g.Type.GetProperties()
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
            .Select(p => new SettingKey(g.Name, p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name, p)))
        .ToList();

    public static SettingKey? Find(string key) => All.FirstOrDefault(k => k.Key == key);

    public static IEnumerable<string> NamesIn(string group) => All.Where(k => k.Group == group).Select(k => k.Name);

    /// <summary>An enum value as settings files write it: NonSaturating is non_saturating.</summary>
    public static string EnumName(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>The error for a key that is no setting, listing what its group (or the file) has, or naming the tag
    /// that still has it where it was removed after its experiment.</summary>
    public static SettingException Unknown(string key)
    {
        if (SettingsJson.Retired.TryGetValue(key, out var retired))
            return new SettingException(key, $"was removed after its experiment (it measured no gain); the git tag {retired.Tag} has it");
        string group = key.Split('.')[0];
        return Groups.Any(g => g.Name == group)
            ? new SettingException(key, $"is not a setting; {group} has {string.Join(", ", NamesIn(group))}")
            : new SettingException(key, $"is not a setting; settings are group.name, the groups {string.Join(", ", Groups.Select(g => g.Name))}");
    }
}
