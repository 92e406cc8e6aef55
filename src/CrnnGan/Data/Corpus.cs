namespace CrnnGan.Data;

public enum CorpusSplit { Train, Validation, Test }

/// <summary>A song of a corpus with where it came from. Composer and genre come from its folders (genre/composer/file.mid).</summary>
public sealed record CorpusSong(string RelativePath, string Composer, string Genre, string ContentHash, Midi.MidiSong Song);

public sealed record SkippedFile(string Path, string Reason);

/// <summary>A corpus labelled by a labels CSV (<see cref="Corpus.LabelledBy"/>): the songs it lists, the songs it does not
/// (relative paths, left out) and its rows that name no song of the corpus.</summary>
public sealed record LabelledCorpus(Corpus Corpus, IReadOnlyList<string> Unlisted, IReadOnlyList<LabelRow> NotFound);

/// <summary>A file dropped because its bytes are identical to <see cref="KeptPath"/>.</summary>
public sealed record DuplicateFile(string Path, string KeptPath);

public sealed record CorpusOptions(int Seed = 0, double ValidationFraction = 0.1, double TestFraction = 0.1, int? Parallelism = null)
{
    public void Validate()
    {
        if (ValidationFraction is < 0 or >= 1 || TestFraction is < 0 or >= 1 || ValidationFraction + TestFraction >= 1)
            throw new ArgumentException($"validation ({ValidationFraction}) and test ({TestFraction}) fractions must be in [0, 1) and sum below 1");
    }
}

/// <summary>
/// A folder of MIDI files read into songs, exact duplicates dropped, and split by file into
/// train/validation/test with a seeded shuffle (so the test split never leaks into training).
/// </summary>
public sealed class Corpus
{
    private Corpus(string root, IReadOnlyList<CorpusSong> train, IReadOnlyList<CorpusSong> validation, IReadOnlyList<CorpusSong> test,
        IReadOnlyList<SkippedFile> skipped, IReadOnlyList<DuplicateFile> duplicates)
    {
        Root = root;
        Train = train;
        Validation = validation;
        Test = test;
        Skipped = skipped;
        Duplicates = duplicates;
    }

    public string Root { get; }
    public IReadOnlyList<CorpusSong> Train { get; }
    public IReadOnlyList<CorpusSong> Validation { get; }
    public IReadOnlyList<CorpusSong> Test { get; }
    public IReadOnlyList<SkippedFile> Skipped { get; }
    public IReadOnlyList<DuplicateFile> Duplicates { get; }
    public int SongCount => Train.Count + Validation.Count + Test.Count;

    public IReadOnlyList<CorpusSong> this[CorpusSplit split] => split switch
    {
        CorpusSplit.Train => Train,
        CorpusSplit.Validation => Validation,
        _ => Test,
    };

    public static Corpus Load(string folder, CorpusOptions? options = null, IProgress<int>? filesDone = null)
    {
        options ??= new CorpusOptions();
        options.Validate();
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{folder}: no such folder");
        string root = Path.GetFullPath(folder);

        var files = MidiFileFinder.Find(root);
        var loaded = SongLoader.LoadAll(files, options.Parallelism, filesDone);

        var skipped = new List<SkippedFile>();
        var duplicates = new List<DuplicateFile>();
        var firstByHash = new Dictionary<string, string>(StringComparer.Ordinal);
        var songs = new List<CorpusSong>();
        foreach (var file in loaded) // in ordinal path order, so the kept copy does not depend on thread timing
        {
            if (file.Song is null)
            {
                skipped.Add(new SkippedFile(file.Path, file.Error ?? "unreadable"));
                continue;
            }
            if (!firstByHash.TryAdd(file.ContentHash!, file.Path))
            {
                duplicates.Add(new DuplicateFile(file.Path, firstByHash[file.ContentHash!]));
                continue;
            }
            string relative = Path.GetRelativePath(root, file.Path);
            var (composer, genre) = Provenance(root, relative);
            songs.Add(new CorpusSong(relative, composer, genre, file.ContentHash!, file.Song));
        }

        var shuffled = songs.ToArray();
        new Random(options.Seed).Shuffle(shuffled);
        int testCount = (int)Math.Round(shuffled.Length * options.TestFraction);
        int validationCount = (int)Math.Round(shuffled.Length * options.ValidationFraction);
        var test = shuffled[..testCount];
        var validation = shuffled[testCount..(testCount + validationCount)];
        var train = shuffled[(testCount + validationCount)..];
        return new Corpus(root, train, validation, test, skipped, duplicates);
    }

    /// <summary>
    /// The songs <paramref name="labels"/> lists, each with the composer and genre its row gives (a column the CSV
    /// lacks keeps the folders'); the songs it does not list are left out of every split, so a listed song stays in the
    /// split it was in. A row naming a dropped duplicate labels the copy that was kept, unless that copy has a row of its own.
    /// </summary>
    public LabelledCorpus LabelledBy(LabelsCsv labels)
    {
        string Relative(string path) => Path.GetRelativePath(Root, path);
        var keptCopies = Duplicates.ToLookup(d => Relative(d.KeptPath), d => Relative(d.Path), StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var unlisted = new List<string>();
        IReadOnlyList<CorpusSong> Listed(IReadOnlyList<CorpusSong> songs)
        {
            var listed = new List<CorpusSong>();
            foreach (var song in songs)
            {
                var names = keptCopies[song.RelativePath].Prepend(song.RelativePath).ToList();
                used.UnionWith(names.Where(labels.Rows.ContainsKey));
                if (names.FirstOrDefault(labels.Rows.ContainsKey) is not string listedAs)
                {
                    unlisted.Add(song.RelativePath);
                    continue;
                }
                var row = labels.Rows[listedAs];
                listed.Add(song with { Composer = row.Composer ?? song.Composer, Genre = row.Genre ?? song.Genre });
            }
            return listed;
        }
        var corpus = new Corpus(Root, Listed(Train), Listed(Validation), Listed(Test), Skipped, Duplicates);
        var notFound = labels.Rows.Values.Where(r => !used.Contains(r.RelativePath)).OrderBy(r => r.Line).ToList();
        return new LabelledCorpus(corpus, unlisted.Order(StringComparer.Ordinal).ToList(), notFound);
    }

    /// <summary>genre/composer/file.mid; a file one level down takes the root folder's name as its genre.</summary>
    private static (string Composer, string Genre) Provenance(string root, string relativePath)
    {
        string[] folders = relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[..^1];
        string rootName = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));
        return folders.Length switch
        {
            0 => ("unknown", rootName),
            1 => (folders[0], rootName),
            _ => (folders[^1], folders[^2]),
        };
    }
}
