using nietras.SeparatedValues;

namespace CrnnGan.Data;

/// <summary>A labels CSV's row: one file of the corpus (relative to its folder) and the labels the CSV gives it.</summary>
/// <param name="Composer">Null when the CSV has no composer column or leaves the cell empty; likewise <paramref name="Genre"/>.</param>
public sealed record LabelRow(string RelativePath, int Line, string? Composer, string? Genre);

/// <summary>
/// Each file's composer and genre from a CSV instead of the folders: comma separated, with a header line naming a
/// <c>file</c> column (the path relative to the corpus folder, or absolute; either slash) and a <c>composer</c> and/or
/// <c>genre</c> column, in any order and any case; other columns are ignored. Fields may be quoted (<c>"a, b.mid"</c>,
/// <c>""</c> for a quote inside), spaces around fields are trimmed and blank lines are skipped.
/// </summary>
public sealed class LabelsCsv
{
    public const string FileColumn = "file";
    public static readonly IReadOnlyList<string> LabelColumns = ["composer", "genre"];

    private LabelsCsv(string path, IReadOnlyDictionary<string, LabelRow> rows)
    {
        Path = path;
        Rows = rows;
    }

    /// <summary>The CSV file as it was named.</summary>
    public string Path { get; }

    /// <summary>The rows by their file's path relative to the corpus folder (a file listed twice, alike, once).</summary>
    public IReadOnlyDictionary<string, LabelRow> Rows { get; }

    /// <param name="path">The CSV file.</param>
    /// <param name="corpusRoot">The folder its relative paths start from.</param>
    /// <param name="column">The label column every row must fill: composer or genre.</param>
    /// <exception cref="InvalidDataException">The CSV cannot be read or is malformed; the message names the file, the line and why.</exception>
    public static LabelsCsv Read(string path, string corpusRoot, string column)
    {
        if (!LabelColumns.Contains(column)) throw new ArgumentException($"the label column must be composer or genre, got '{column}'", nameof(column));
        string root = System.IO.Path.GetFullPath(corpusRoot);
        try
        {
            using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true })
                .FromFile(path);
            Columns? header = null;
            var rows = new Dictionary<string, LabelRow>(StringComparer.Ordinal);
            foreach (var row in reader)
            {
                // Sep 0.18 numbers the first row from line 2 when there is no header to skip; every later row is right.
                int line = row.RowIndex == 0 ? 1 : row.LineNumberFrom, lastLine = Math.Max(line, row.LineNumberToExcl - 1);
                if (row.ColCount == 1 && row[0].Span.IsEmpty) continue; // a blank line
                string Problem(string reason) => $"{path} line {line}: {reason}" +
                    (lastLine > line ? $" (the row runs on to line {lastLine}: is a quote left open?)" : "");
                if (header is null)
                {
                    var names = new string[row.ColCount];
                    for (int i = 0; i < names.Length; i++) names[i] = row[i].ToString();
                    header = Header(Problem, names, column);
                    continue;
                }
                if (row.ColCount != header.Count)
                    throw new InvalidDataException(Problem($"{Counted(row.ColCount, "field")} where the header has {header.Count} ({string.Join(",", header.Names)})" +
                                                           (row.ColCount > header.Count ? "; quote a field that holds a comma" : "")));
                string file = row[header.File].ToString();
                if (file.Length == 0) throw new InvalidDataException(Problem("names no file"));
                string? composer = Cell(row, header.Composer), genre = Cell(row, header.Genre);
                if ((column == "composer" ? composer : genre) is null)
                    throw new InvalidDataException(Problem($"gives {file} no {column}"));
                string relative = Relative(root, file);
                var labelled = new LabelRow(relative, line, composer, genre);
                if (!rows.TryAdd(relative, labelled) && rows[relative] is var first && (first.Composer != composer || first.Genre != genre))
                    throw new InvalidDataException(Problem($"lists {file} again with other labels ({Describe(labelled)}; line {first.Line}: {Describe(first)})"));
            }
            if (header is null)
                throw new InvalidDataException($"{path}: empty; it needs a header line naming the columns {FileColumn} and {column}, e.g. {FileColumn},{column}");
            return new LabelsCsv(path, rows);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException(e is FileNotFoundException or DirectoryNotFoundException
                ? $"{path}: no such file" : $"{path}: cannot be read ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)})", e);
        }
    }

    private sealed record Columns(IReadOnlyList<string> Names, int File, int? Composer, int? Genre)
    {
        public int Count => Names.Count;
    }

    private static Columns Header(Func<string, string> problem, IReadOnlyList<string> names, string column)
    {
        string expected = $"the first line must name the columns {FileColumn} and {column}, e.g. {FileColumn},{column}";
        var lower = names.Select(n => n.ToLowerInvariant()).ToList();
        string? twice = lower.GroupBy(n => n).FirstOrDefault(g => g.Key.Length > 0 && g.Count() > 1)?.Key;
        if (twice is not null)
            throw new InvalidDataException(problem($"the header names the column {twice} twice"));
        int? Index(string name) => lower.IndexOf(name) is int i and >= 0 ? i : null;
        string has = $"the header is {string.Join(",", names)}";
        int file = Index(FileColumn) ?? throw new InvalidDataException(problem($"no column {FileColumn} ({has}; {expected})"));
        if (Index(column) is null)
            throw new InvalidDataException(problem($"no column {column} to label the files by {column} ({has}; {expected})"));
        return new Columns(names, file, Index("composer"), Index("genre"));
    }

    private static string? Cell(SepReader.Row row, int? column) =>
        column is int i && row[i].ToString() is { Length: > 0 } text ? text : null;

    /// <summary>The path of <paramref name="file"/> relative to <paramref name="root"/>, written as the corpus writes it.</summary>
    private static string Relative(string root, string file)
    {
        if (System.IO.Path.DirectorySeparatorChar == '/') file = file.Replace('\\', '/');
        return System.IO.Path.GetRelativePath(root, System.IO.Path.GetFullPath(file, root));
    }

    private static string Describe(LabelRow row) =>
        string.Join(", ", new[] { ("composer", row.Composer), ("genre", row.Genre) }.Where(l => l.Item2 is not null).Select(l => $"{l.Item1} {l.Item2}"));

    private static string Counted(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
