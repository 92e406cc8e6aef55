using System.Globalization;
using nietras.SeparatedValues;

namespace CrnnGan.Evaluation;

/// <summary>
/// Every measured song of an evaluation as one CSV row, for a user's own analysis: which side it is on, its name, the
/// segment (real songs: which of the segments cut from it, in their order in the song), the probability the two-sample
/// classifier gave it of being generated while it was held out (the trees' calibrated probability; the accuracy counts
/// their decision, which near 0.5 may fall the other way; empty where it took no part), and each of the
/// <see cref="MusicalFeatures"/>.
/// </summary>
public static class FeatureTable
{
    public static readonly IReadOnlyList<string> LeadingColumns = ["side", "song", "segment", "classifier_generated"];

    /// <param name="generatedName">The name of generated song i.</param>
    /// <param name="realName">The name of real song i.</param>
    public static string ToCsv(IReadOnlyList<MeasuredSong> songs, Func<int, string> generatedName, Func<int, string> realName)
    {
        var names = MusicalFeatures.Definitions.Select(d => d.Name).ToArray();
        using var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToText();
        foreach (var song in songs)
        {
            if (song.Values.Length != names.Length)
                throw new ArgumentException($"a song has {song.Values.Length} feature values, expected {names.Length}", nameof(songs));
            using var row = writer.NewRow();
            row[LeadingColumns[0]].Set(song.Generated ? "generated" : "real");
            row[LeadingColumns[1]].Set(song.Generated ? generatedName(song.Song) : realName(song.Song));
            row[LeadingColumns[2]].Set(song.Generated ? "" : (song.Segment + 1).ToString(CultureInfo.InvariantCulture));
            row[LeadingColumns[3]].Set(song.HeldOutGenerated is double p ? p.ToString("0.####", CultureInfo.InvariantCulture) : "");
            for (int i = 0; i < names.Length; i++)
                row[names[i]].Set(song.Values[i].ToString("R", CultureInfo.InvariantCulture));
        }
        return writer.ToString();
    }
}
