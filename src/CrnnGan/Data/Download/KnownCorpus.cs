namespace CrnnGan.Data.Download;

/// <summary>
/// A MIDI corpus <c>crnngan download</c> can fetch: a zip archive at <see cref="Url"/>, of which only
/// <see cref="SubfolderInArchive"/> (a '/'-separated path inside the archive; null for all of it) is unpacked.
/// </summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the archive, or null when it is not known (then it is computed and shown, not checked).</param>
/// <param name="SizeBytes">Approximate archive size, for display; null when unknown.</param>
public sealed record KnownCorpus(
    string Name,
    string Url,
    string? Sha256,
    long? SizeBytes,
    string Licence,
    string Description,
    string? SubfolderInArchive);

public static class KnownCorpora
{
    public static IReadOnlyList<KnownCorpus> All { get; } =
    [
        new("classical",
            "https://github.com/olofmogren/c-rnn-gan/archive/refs/heads/master.zip",
            // GitHub builds branch archives on request, so their bytes (and hash) are not guaranteed to stay the same.
            Sha256: null,
            SizeBytes: null,
            Licence: "none stated; rights stay with the files' makers",
            Description: "The paper's corpus: classical music MIDI files by composer (data/classical of olofmogren/c-rnn-gan)",
            SubfolderInArchive: "c-rnn-gan-master/data/classical"),
        new("maestro",
            "https://storage.googleapis.com/magentadata/datasets/maestro/v3.0.0/maestro-v3.0.0-midi.zip",
            Sha256: null,
            SizeBytes: 58_000_000,
            Licence: "CC BY-NC-SA 4.0",
            Description: "MAESTRO v3.0.0 (Google Magenta): about 1,300 virtuoso piano performances, MIDI only, by year",
            SubfolderInArchive: "maestro-v3.0.0"),
    ];

    public static IEnumerable<string> Names => All.Select(corpus => corpus.Name);

    public static KnownCorpus? Find(string name) =>
        All.FirstOrDefault(corpus => string.Equals(corpus.Name, name, StringComparison.OrdinalIgnoreCase));
}
