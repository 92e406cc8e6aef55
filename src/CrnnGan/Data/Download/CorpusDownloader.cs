using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace CrnnGan.Data.Download;

/// <summary>
/// Fetches a <see cref="KnownCorpus"/> into <c>OUT/NAME</c>: downloads the archive to <c>OUT/.download/NAME.zip.part</c>
/// (resuming a broken download), checks its SHA-256 where one is known, unpacks it into a temporary folder under
/// <c>OUT/.download</c> and moves that into place, so <c>OUT/NAME</c> never holds half a corpus. On failure the
/// partial archive is kept only when resuming it can help (a connection that kept failing, or cancellation);
/// nothing else is left behind.
/// </summary>
public sealed class CorpusDownloader(HttpClient http, DownloadOptions? options = null)
{
    public const string WorkFolderName = ".download";

    private readonly DownloadOptions _options = options ?? new DownloadOptions();

    public static string TargetFolder(string outFolder, KnownCorpus corpus) => Path.Combine(outFolder, corpus.Name);

    public static string PartialFile(string outFolder, KnownCorpus corpus) =>
        Path.Combine(outFolder, WorkFolderName, corpus.Name + ".zip.part");

    public static bool HoldsAnything(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any();

    /// <summary>An HttpClient for downloads: no automatic decompression (byte ranges must refer to the file itself)
    /// and no proxy for loopback addresses.</summary>
    public static HttpClient CreateHttpClient(Uri url)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = !url.IsLoopback,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(100) };
        string version = typeof(CorpusDownloader).Assembly.GetName().Version?.ToString(3) ?? "0";
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("crnngan", version));
        return client;
    }

    /// <summary>The corpus's URL, which must be an absolute http or https address.</summary>
    public static Uri ParseUrl(KnownCorpus corpus) =>
        Uri.TryCreate(corpus.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url
            : throw new ArgumentException($"'{corpus.Url}' is not an http or https URL");

    /// <exception cref="DownloadException">The download, the checksum or the archive failed; the message says which.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the partial archive is kept for resuming.</exception>
    public async Task<DownloadResult> DownloadAsync(KnownCorpus corpus, string outFolder,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancel = default)
    {
        Uri url = ParseUrl(corpus);
        string target = TargetFolder(outFolder, corpus);
        if (!_options.Force && HoldsAnything(target))
            throw new DownloadException($"{target} already holds files; use --force to replace them");

        bool outFolderExisted = Directory.Exists(outFolder);
        string work = Path.Combine(outFolder, WorkFolderName);
        string part = PartialFile(outFolder, corpus);
        bool keepPart = false;
        Directory.CreateDirectory(work);
        try
        {
            long bytes;
            try
            {
                bytes = await new ResumableFetch(http, _options).FetchAsync(url, part, progress, cancel);
            }
            catch (DownloadException e) when (e.Resumable)
            {
                keepPart = true;
                throw new DownloadException($"{e.Message}; the partial download is kept in {part} and running the same command resumes it", e);
            }
            catch (OperationCanceledException)
            {
                keepPart = ResumableFetch.LengthOf(part) > 0;
                throw;
            }

            progress?.Report(new DownloadProgress(DownloadStage.Verifying, bytes, bytes));
            string sha256 = await Sha256Async(part, cancel);
            bool verified = corpus.Sha256 is not null;
            if (verified && !string.Equals(sha256, corpus.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new DownloadException(
                    $"{url}: wrong checksum: expected SHA-256 {corpus.Sha256!.ToLowerInvariant()}, got {sha256}; the download was deleted");

            int files = Unpack(corpus, part, work, target, progress, cancel);
            return new DownloadResult(target, files, bytes, sha256, verified);
        }
        finally
        {
            if (!keepPart)
                ResumableFetch.Discard(part);
            DeleteIfEmpty(work);
            if (!outFolderExisted)
                DeleteIfEmpty(outFolder);
        }
    }

    private static int Unpack(KnownCorpus corpus, string archive, string work, string target,
        IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        string staging = Path.Combine(work, $"{corpus.Name}.unpacking-{Guid.NewGuid():N}");
        try
        {
            int files = ZipSubfolderExtractor.Extract(archive, corpus.SubfolderInArchive, staging, progress, cancel);
            if (files == 0)
                throw new DownloadException(corpus.SubfolderInArchive is null
                    ? $"{corpus.Url}: the archive holds no files"
                    : $"{corpus.Url}: the archive holds no files under {corpus.SubfolderInArchive}/");
            MoveIntoPlace(staging, target, work);
            return files;
        }
        catch (InvalidDataException e)
        {
            throw new DownloadException($"{corpus.Url}: cannot unpack the archive: {e.Message}; the download was deleted", e);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Renames the unpacked folder to the target; an existing target is moved aside first and deleted after.</summary>
    private static void MoveIntoPlace(string staging, string target, string work)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        string replaced = Path.Combine(work, $"{Path.GetFileName(target)}.replaced-{Guid.NewGuid():N}");
        Directory.Move(target, replaced);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(replaced, target);
            throw;
        }
        Directory.Delete(replaced, recursive: true);
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancel)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel));
    }

    private static void DeleteIfEmpty(string folder)
    {
        if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            Directory.Delete(folder);
    }
}
