using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrnnGan.Training;

/// <summary>A model's labels was asked for by a name it does not know.</summary>
public sealed class UnknownLabelException(string message) : ArgumentException(message);

/// <summary>
/// The labels a conditioned model was trained on (see <see cref="DataSettings.Condition"/>): their names, in the order
/// of G's and D's one-hot inputs, and how many training songs each had. Stored with the model (the settings' "labels").
/// </summary>
public sealed record LabelSet
{
    /// <summary>The label songs go under when theirs has fewer than <see cref="DataSettings.MinLabelSongs"/> training songs.</summary>
    public const string Other = "other";

    [JsonPropertyName("kind")] public ConditionLabel Kind { get; init; }
    [JsonPropertyName("names")] public IReadOnlyList<string> Names { get; init; } = [];
    [JsonPropertyName("songs")] public IReadOnlyList<int> Songs { get; init; } = [];

    [JsonIgnore] public int Count => Names.Count;

    /// <summary>"composer" or "genre": what the labels name, as the user says it.</summary>
    [JsonIgnore] public string KindName => SettingKeys.EnumName(Kind.ToString());

    /// <summary>
    /// The labels of the training songs' <paramref name="songLabels"/>: each name with at least <paramref name="minSongs"/>
    /// songs, the rest grouped as <see cref="Other"/> (said in <paramref name="report"/>). Returns the set and each song's label.
    /// </summary>
    /// <exception cref="SettingException">Fewer than two labels remain.</exception>
    public static (LabelSet Labels, int[] SongLabels) Resolve(ConditionLabel kind, IReadOnlyList<string> songLabels, int minSongs, Action<string> report)
    {
        var counts = songLabels.GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var kept = counts.Where(c => c.Value >= minSongs && c.Key != Other).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
        var grouped = counts.Keys.Where(n => !kept.Contains(n)).Order(StringComparer.Ordinal).ToList();
        string kindName = SettingKeys.EnumName(kind.ToString());
        if (grouped.Count > 0)
        {
            int songs = grouped.Sum(n => counts[n]);
            report($"labels: {grouped.Count} {kindName}s with fewer than {minSongs} training songs (data.min_label_songs) grouped as " +
                   $"\"{Other}\" ({songs} songs): {string.Join(", ", grouped.Take(10))}{(grouped.Count > 10 ? ", ..." : "")}");
            kept.Add(Other);
        }
        // "other" counts towards the two labels conditioning needs only when it has the songs a label of its own would need.
        int full = kept.Count(n => n != Other) + (grouped.Sum(n => counts[n]) >= minSongs ? 1 : 0);
        if (full < 2)
            throw new SettingException("data.min_label_songs",
                $"leaves {full} label{(full == 1 ? "" : "s")} with at least {minSongs} training songs to condition on by {kindName} " +
                $"({counts.Count} {kindName}s in the training songs, those below the minimum grouped as \"{Other}\"); conditioning needs two or more: " +
                "lower data.min_label_songs, add music, or set data.condition=none");
        var index = kept.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        int[] labels = songLabels.Select(n => index.TryGetValue(n, out int i) ? i : index[Other]).ToArray();
        var set = new LabelSet { Kind = kind, Names = kept, Songs = kept.Select(n => labels.Count(l => l == index[n])).ToArray() };
        report($"labels: conditioned on {kindName}: " + string.Join(", ", set.Names.Zip(set.Songs, (n, c) => $"{n} ({c})")));
        return (set, labels);
    }

    /// <summary>The label a song whose composer or genre is <paramref name="name"/> goes under, as training puts the songs
    /// it validates on: its own (spelled alike), else <see cref="Other"/>, else none (null).</summary>
    public int? Assign(string name)
    {
        for (int i = 0; i < Names.Count; i++)
            if (string.Equals(Names[i], name, StringComparison.Ordinal)) return i;
        return IndexOf(Other);
    }

    /// <summary>The index of <paramref name="name"/> (any case), or null.</summary>
    public int? IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++)
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return null;
    }

    /// <summary>The index of <paramref name="name"/> (any case).</summary>
    /// <exception cref="UnknownLabelException">The model knows no such label; the message lists those it knows.</exception>
    public int Require(string name) => IndexOf(name) ?? throw new UnknownLabelException(
        $"the model knows no {KindName} \"{name}\"; it knows {string.Join(", ", Names)}");

    /// <summary><paramref name="count"/> labels drawn at random in proportion to the training songs'.</summary>
    public int[] Draw(int count, Random random)
    {
        int total = Songs.Sum();
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int pick = random.Next(total), label = 0;
            while (pick >= Songs[label]) pick -= Songs[label++];
            labels[i] = label;
        }
        return labels;
    }

    /// <summary><paramref name="count"/> labels in proportion to the training songs' without drawing (largest
    /// remainder), in label order: what validation samples.</summary>
    public int[] Proportional(int count)
    {
        double total = Songs.Sum();
        var exact = Songs.Select(s => s / total * count).ToArray();
        var whole = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (int i in Enumerable.Range(0, Count).OrderByDescending(i => exact[i] - whole[i]).Take(count - whole.Sum()))
            whole[i]++;
        return Enumerable.Range(0, Count).SelectMany(i => Enumerable.Repeat(i, whole[i])).ToArray();
    }

    public bool Equals(LabelSet? other) =>
        other is not null && Kind == other.Kind && Names.SequenceEqual(other.Names) && Songs.SequenceEqual(other.Songs);

    public override int GetHashCode() => HashCode.Combine(Kind, string.Join("\n", Names));

    internal static LabelSet Read(JsonElement element)
    {
        var set = element.Deserialize<LabelSet>(SettingsJson.GroupOptions)
            ?? throw new JsonException("the labels are null");
        if (set.Names.Count < 2 || set.Songs.Count != set.Names.Count || set.Songs.Any(s => s < 0) || set.Kind == ConditionLabel.None
            || set.Names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != set.Names.Count)
            throw new JsonException("labels must name a kind (composer or genre), two or more distinct names and a song count for each");
        return set;
    }
}
