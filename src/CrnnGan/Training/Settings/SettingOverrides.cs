using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrnnGan.Training;

/// <summary>Settings changed key by key, as <c>key=value</c> (<c>losses.fm_spread=1</c>, <c>run.keep_by=worst</c>).</summary>
public static class SettingOverrides
{
    /// <summary>
    /// <paramref name="config"/> with each assignment applied in order. A value is read as JSON where it is JSON
    /// (<c>1</c>, <c>true</c>, <c>null</c>, <c>"text"</c>) and as text otherwise (<c>worst</c>, <c>/data/midi</c>).
    /// </summary>
    /// <exception cref="SettingException">An assignment is malformed, names no setting, or gives a value of the wrong kind.</exception>
    public static TrainingConfig Apply(TrainingConfig config, IEnumerable<string> assignments)
    {
        var parsed = assignments.Select(Parse).ToList();
        if (parsed.Count == 0) return config;
        var tree = SettingsJson.ToTree(config);
        foreach (var (key, value) in parsed)
            tree[key.Group]![key.Name] = value;
        return SettingsJson.FromTree(tree);
    }

    private static (SettingKey Key, JsonNode? Value) Parse(string assignment)
    {
        int equals = assignment.IndexOf('=');
        if (equals <= 0)
            throw new SettingException(assignment, "is not key=value (for example losses.fm_spread=1)");
        string name = assignment[..equals].Trim(), text = assignment[(equals + 1)..].Trim();
        var key = SettingKeys.Find(name) ?? throw SettingKeys.Unknown(name);
        return (key, ValueOf(text));
    }

    private static JsonNode? ValueOf(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>The settings where <paramref name="a"/> and <paramref name="b"/> differ, with each one's value as JSON.</summary>
    public static IReadOnlyList<(string Key, string A, string B)> Differences(TrainingConfig a, TrainingConfig b)
    {
        var left = SettingsJson.ToTree(a);
        var right = SettingsJson.ToTree(b);
        return SettingKeys.All
            .Select(k => (k.Key, A: Show(left[k.Group]?[k.Name]), B: Show(right[k.Group]?[k.Name])))
            .Where(d => d.A != d.B)
            .ToList();
    }

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";
}
