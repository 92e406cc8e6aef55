using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using CrnnGan.Data.Download;
using CrnnGan.Midi;
using CrnnGan.Tests.Cli;

namespace CrnnGan.Tests.Data;

public sealed class DownloadTests : IDisposable
{
    private const string Subfolder = "c-rnn-gan-master/data/classical";
    private static readonly DownloadOptions FastRetries = new() { RetryDelay = TimeSpan.Zero, ReadTimeout = TimeSpan.FromSeconds(5) };

    private readonly TempFolder _folder = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });

    private string OutFolder => Path.Combine(_folder.Path, "data");

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }

    /// <summary>A GitHub-style archive: two MIDI files under data/classical, and files outside it that must not be unpacked.</summary>
    internal static byte[] MakeArchive(params (string Path, byte[] Bytes)[] extraEntries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string path, byte[] bytes)
            {
                using var entry = zip.CreateEntry(path, CompressionLevel.NoCompression).Open();
                entry.Write(bytes);
            }
            Add("c-rnn-gan-master/README.md", Encoding.UTF8.GetBytes(new string('x', 3000)));
            zip.CreateEntry(Subfolder + "/");
            Add(Subfolder + "/bach/air.mid", MidiFileWriter.ToBytes([new Note(0, 384, 60, 80), new Note(384, 384, 64, 80)]));
            Add(Subfolder + "/mozart/k545.mid", MidiFileWriter.ToBytes([new Note(0, 192, 72, 90), new Note(192, 192, 76, 90), new Note(384, 384, 79, 90)]));
            Add("c-rnn-gan-master/data/other/skip.mid", MidiFileWriter.ToBytes([new Note(0, 384, 50, 70)]));
            foreach (var (path, bytes) in extraEntries)
                Add(path, bytes);
        }
        return buffer.ToArray();
    }

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static KnownCorpus Corpus(string url, string? sha256) =>
        new("classical", url, sha256, null, "test licence", "test corpus", Subfolder);

    private Task<DownloadResult> Download(LoopbackHttpServer server, string? sha256, DownloadOptions? options = null) =>
        new CorpusDownloader(_http, options ?? FastRetries).DownloadAsync(Corpus(server.Url("/master.zip"), sha256), OutFolder);

    private void AssertNothingLeftBehind() =>
        Assert.False(Directory.Exists(OutFolder) && Directory.EnumerateFileSystemEntries(OutFolder, "*", SearchOption.AllDirectories).Any(),
            "the out folder should hold nothing");

    [Fact]
    public async Task GoodArchive_IsVerifiedAndOnlyItsSubfolderUnpacked()
    {
        byte[] archive = MakeArchive();
        using var server = new LoopbackHttpServer(request => CannedResponse.File(archive, request));

        var result = await Download(server, Sha256(archive));

        string target = Path.Combine(OutFolder, "classical");
        Assert.Equal(target, result.Folder);
        Assert.True(result.ChecksumVerified);
        Assert.Equal(Sha256(archive), result.Sha256);
        Assert.Equal(archive.Length, result.ArchiveBytes);
        Assert.Equal(2, result.FileCount);
        Assert.Equal(2, MidiFileReader.Read(Path.Combine(target, "bach", "air.mid")).Notes.Count);
        Assert.Equal(3, MidiFileReader.Read(Path.Combine(target, "mozart", "k545.mid")).Notes.Count);
        Assert.Equal(["classical"], Directory.EnumerateFileSystemEntries(OutFolder).Select(Path.GetFileName));
        Assert.Equal(2, Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public async Task DroppedConnection_ResumesWithRangeRequest()
    {
        byte[] archive = MakeArchive();
        const int dropAfter = 1000;
        using var server = new LoopbackHttpServer(request => request.Index == 1
            ? CannedResponse.File(archive, request, dropAfterBytes: dropAfter, etag: "\"v1\"")
            : CannedResponse.File(archive, request, etag: "\"v1\""));
        var stages = new List<DownloadStage>();

        var result = await new CorpusDownloader(_http, FastRetries).DownloadAsync(
            Corpus(server.Url("/master.zip"), Sha256(archive)), OutFolder, new SynchronousProgress(p => stages.Add(p.Stage)));

        Assert.True(result.ChecksumVerified);
        Assert.Equal(2, result.FileCount);
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Header("Range"));
        Assert.Equal($"bytes={dropAfter}-", requests[1].Header("Range"));
        Assert.Equal("\"v1\"", requests[1].Header("If-Range"));
        Assert.Contains(DownloadStage.Retrying, stages);
        Assert.False(Directory.Exists(Path.Combine(OutFolder, CorpusDownloader.WorkFolderName)));
    }

    [Fact]
    public async Task ServerIgnoringRange_StartsOverAndCompletes()
    {
        byte[] archive = MakeArchive();
        using var server = new LoopbackHttpServer(request => request.Index == 1
            ? CannedResponse.File(archive, request, dropAfterBytes: 1000)
            : CannedResponse.File(archive, request, honourRange: false));

        var result = await Download(server, Sha256(archive));

        Assert.Equal("bytes=1000-", server.Requests[1].Header("Range"));
        Assert.Equal(archive.Length, result.ArchiveBytes);
        Assert.True(result.ChecksumVerified);
    }

    [Fact]
    public async Task WrongChecksum_NamesBothHashesAndLeavesNothing()
    {
        byte[] archive = MakeArchive();
        string wrong = new('0', 64);
        using var server = new LoopbackHttpServer(request => CannedResponse.File(archive, request));
        Directory.CreateDirectory(OutFolder);

        var error = await Assert.ThrowsAsync<DownloadException>(() => Download(server, wrong));

        Assert.Contains($"expected SHA-256 {wrong}", error.Message);
        Assert.Contains($"got {Sha256(archive)}", error.Message);
        AssertNothingLeftBehind();
    }

    [Fact]
    public async Task NotFound_NamesUrlAndStatusWithoutRetryingAndLeavesNothing()
    {
        using var server = new LoopbackHttpServer(_ => CannedResponse.NotFound());

        var error = await Assert.ThrowsAsync<DownloadException>(() => Download(server, null));

        Assert.Contains(server.Url("/master.zip"), error.Message);
        Assert.Contains("404", error.Message);
        Assert.Single(server.Requests);
        Assert.False(Directory.Exists(OutFolder));
    }

    [Fact]
    public async Task ServerErrors_AreRetriedThenReported()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(500, []));

        var error = await Assert.ThrowsAsync<DownloadException>(() => Download(server, null));

        Assert.Contains("500", error.Message);
        Assert.Equal(FastRetries.MaxAttempts, server.Requests.Count);
        Assert.False(Directory.Exists(OutFolder));
    }

    [Fact]
    public async Task GivingUp_KeepsThePartialDownloadAndTheNextRunResumesIt()
    {
        byte[] archive = MakeArchive();
        using (var failing = new LoopbackHttpServer(request => request.Index == 1
                   ? CannedResponse.File(archive, request, dropAfterBytes: 700)
                   : new CannedResponse(503, [])))
        {
            var error = await Assert.ThrowsAsync<DownloadException>(() => Download(failing, Sha256(archive)));
            Assert.Contains("resumes", error.Message);
        }
        string part = CorpusDownloader.PartialFile(OutFolder, Corpus("", null));
        Assert.Equal(700, new FileInfo(part).Length);
        Assert.False(Directory.Exists(Path.Combine(OutFolder, "classical")));

        using var working = new LoopbackHttpServer(request => CannedResponse.File(archive, request));
        var result = await Download(working, Sha256(archive));

        Assert.Equal("bytes=700-", working.Requests.Single().Header("Range"));
        Assert.Equal(2, result.FileCount);
        Assert.False(File.Exists(part));
    }

    [Fact]
    public async Task EntryPointingOutsideTheTarget_IsRefusedAndNothingLeft()
    {
        byte[] archive = MakeArchive((Subfolder + "/../../../../evil.mid", [1, 2, 3]));
        using var server = new LoopbackHttpServer(request => CannedResponse.File(archive, request));
        Directory.CreateDirectory(OutFolder);

        var error = await Assert.ThrowsAsync<DownloadException>(() => Download(server, null));

        Assert.Contains("evil.mid", error.Message);
        AssertNothingLeftBehind();
        Assert.False(File.Exists(Path.Combine(_folder.Path, "evil.mid")));
    }

    [Fact]
    public async Task ExistingTarget_IsKeptUnlessForced()
    {
        byte[] archive = MakeArchive();
        using var server = new LoopbackHttpServer(request => CannedResponse.File(archive, request));
        string old = Path.Combine(OutFolder, "classical", "mine.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(old)!);
        File.WriteAllText(old, "keep me");

        await Assert.ThrowsAsync<DownloadException>(() => Download(server, null));
        Assert.True(File.Exists(old));
        Assert.Empty(server.Requests);

        var result = await Download(server, null, FastRetries with { Force = true });
        Assert.False(result.ChecksumVerified);
        Assert.False(File.Exists(old));
        Assert.Equal(2, result.FileCount);
        Assert.Equal(["classical"], Directory.EnumerateFileSystemEntries(OutFolder).Select(Path.GetFileName));
    }

    [Fact]
    public void KnownCorpora_HaveDistinctNamesAndHttpsZipUrls()
    {
        Assert.Contains(KnownCorpora.All, corpus => corpus.Name == "classical");
        Assert.Contains(KnownCorpora.All, corpus => corpus.Name == "maestro");
        Assert.Equal(KnownCorpora.All.Count, KnownCorpora.Names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(KnownCorpora.All, corpus =>
        {
            Assert.StartsWith("https://", corpus.Url);
            Assert.EndsWith(".zip", corpus.Url);
            Assert.True(corpus.Sha256 is null || corpus.Sha256.Length == 64);
        });
        Assert.Same(KnownCorpora.Find("maestro"), KnownCorpora.Find("MAESTRO"));
    }

    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value)
        {
            lock (this)
                report(value);
        }
    }
}
