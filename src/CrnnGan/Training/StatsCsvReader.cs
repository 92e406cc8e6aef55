using System.Globalization;

namespace CrnnGan.Training;

/// <summary>
/// Reads a stats.csv written by <see cref="StatsCsv"/> back into <see cref="EpochRecord"/>s. Columns are found by
/// name, so files with fewer or more columns (older or newer runs) still read; a missing or empty cell is NaN (0 for
/// counts), every <c>mean_NAME</c> column becomes statistic NAME and every <c>val_overlap_NAME</c> column NAME's
/// validation overlap.
/// </summary>
public static class StatsCsvReader
{
    private const string StatisticPrefix = "mean_";

    public static IReadOnlyList<EpochRecord> Read(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static IReadOnlyList<EpochRecord> Parse(string text)
    {
        string[] lines = text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            throw new FormatException("empty stats file, expected a header line");
        string[] header = lines[0].Split(',');
        if (!header.Contains("epoch"))
            throw new FormatException($"header has no 'epoch' column: {lines[0]}");

        var records = new List<EpochRecord>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            string[] cells = lines[i].Split(',');
            if (cells.Length != header.Length)
                throw new FormatException($"line {i + 1} has {cells.Length} cells, the header has {header.Length}");
            records.Add(ParseRow(new Row(header, cells, i + 1)));
        }
        return records;
    }

    private static EpochRecord ParseRow(Row row)
    {
        var statistics = new Dictionary<string, double>();
        var overlaps = new Dictionary<string, double>();
        foreach (var (column, index) in row.Header.Select((c, i) => (c, i)))
        {
            if (row.Cells[index].Length == 0) continue;
            if (column.StartsWith(StatisticPrefix, StringComparison.Ordinal))
                statistics[column[StatisticPrefix.Length..]] = row.Double(column);
            else if (column.StartsWith(StatsCsv.OverlapPrefix, StringComparison.Ordinal))
                overlaps[column[StatsCsv.OverlapPrefix.Length..]] = row.Double(column);
        }
        return new EpochRecord
        {
            Epoch = row.Int("epoch"),
            Phase = ParsePhase(row.Text("phase"), row.LineNumber),
            Length = row.Int("length"),
            Batches = row.Int("batches"),
            GeneratorLoss = row.Double("g_loss"),
            DiscriminatorLoss = row.Double("d_loss"),
            FeatureMatchingLoss = row.Double("fm_loss"),
            SongFeatureMmd = row.Double("song_mmd"),
            MseLoss = row.Double("mse_loss"),
            ValidationMse = row.Double("val_mse"),
            ValidationGeneratorLoss = row.Double("val_g_loss"),
            ValidationDiscriminatorLoss = row.Double("val_d_loss"),
            DiscriminatorFrozen = row.Int("d_frozen"),
            GeneratorFrozen = row.Int("g_frozen"),
            LearningRate = row.Double("learning_rate"),
            Seconds = row.Double("seconds"),
            EventsPerSecond = row.Double("events_per_second"),
            SampledSongs = row.Int("sampled_songs"),
            SongsWithNotes = row.Int("songs_with_notes"),
            ValidationOverlap = row.Double("val_overlap"),
            ValidationRealism = row.Double("val_realism"),
            ValidationFeatureOverlap = row.Double("val_feature_overlap"),
            ValidationNextPitch = row.Double("val_next_pitch"),
            Statistics = statistics,
            ValidationOverlaps = overlaps,
        };
    }

    private static TrainingPhase ParsePhase(string name, int lineNumber)
    {
        foreach (var phase in Enum.GetValues<TrainingPhase>())
        {
            if (StatsCsv.PhaseName(phase) == name) return phase;
        }
        throw new FormatException($"line {lineNumber}: unknown phase '{name}'");
    }

    private sealed record Row(string[] Header, string[] Cells, int LineNumber)
    {
        public string Text(string column)
        {
            int index = Array.IndexOf(Header, column);
            return index < 0 ? "" : Cells[index];
        }

        public double Double(string column)
        {
            string text = Text(column);
            if (text.Length == 0) return double.NaN;
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                ? value
                : throw new FormatException($"line {LineNumber}: {column} is not a number: '{text}'");
        }

        public int Int(string column)
        {
            string text = Text(column);
            if (text.Length == 0) return 0;
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw new FormatException($"line {LineNumber}: {column} is not a whole number: '{text}'");
        }
    }
}
