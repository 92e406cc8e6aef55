using System.Net;
using System.Net.Http.Headers;

namespace CrnnGan.Data.Download;

/// <summary>
/// Downloads a URL into a partial file. After a dropped connection it asks for the rest with
/// <c>Range: bytes=N-</c> (guarded by <c>If-Range</c> with the first response's ETag, kept in a file next to the
/// partial one, so a changed archive is never spliced onto an old start); a server that answers 200 instead of
/// 206 sends the whole file again, which then replaces the partial one.
/// </summary>
internal sealed class ResumableFetch(HttpClient http, DownloadOptions options)
{
    private const int BufferSize = 1 << 16;

    /// <summary>Downloads until the partial file is complete and returns its length.</summary>
    /// <exception cref="DownloadException">An HTTP error, or too many failed attempts in a row
    /// (then <see cref="DownloadException.Resumable"/> is set and the partial file is left for the next run).</exception>
    public async Task<long> FetchAsync(Uri url, string partPath, IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        int failuresInARow = 0;
        while (true)
        {
            long lengthBefore = LengthOf(partPath);
            try
            {
                return await FetchOnceAsync(url, partPath, progress, cancel);
            }
            catch (Exception e) when (IsTransient(e, cancel))
            {
                long length = LengthOf(partPath);
                failuresInARow = length > lengthBefore ? 1 : failuresInARow + 1;
                if (failuresInARow >= options.MaxAttempts)
                    throw new DownloadException(
                        $"{url}: download failed {failuresInARow} times in a row, last: {e.Message}", e) { Resumable = length > 0 };

                TimeSpan delay = options.RetryDelay * Math.Pow(2, failuresInARow - 1);
                string next = length > 0 ? $"resuming at byte {length}" : "retrying";
                progress?.Report(new DownloadProgress(DownloadStage.Retrying, length, null, $"{e.Message}; {next} in {delay.TotalSeconds:0.#} s"));
                await Task.Delay(delay, cancel);
            }
        }
    }

    /// <summary>Deletes a partial file and the ETag kept with it.</summary>
    public static void Discard(string partPath)
    {
        File.Delete(partPath);
        File.Delete(EtagPath(partPath));
    }

    public static long LengthOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private async Task<long> FetchOnceAsync(Uri url, string partPath, IProgress<DownloadProgress>? progress, CancellationToken cancel)
    {
        long existing = LengthOf(partPath);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (existing > 0)
        {
            request.Headers.Range = new RangeHeaderValue(existing, null);
            if (ReadEtag(partPath) is { } etag)
                request.Headers.IfRange = new RangeConditionHeaderValue(etag);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0)
        {
            if (response.Content.Headers.ContentRange?.Length == existing)
                return existing; // the previous run had received everything
            Discard(partPath);
            return await FetchOnceAsync(url, partPath, progress, cancel);
        }
        ThrowIfFailed(url, response);

        bool resumed = response.StatusCode == HttpStatusCode.PartialContent;
        if (resumed && (existing == 0 || response.Content.Headers.ContentRange?.From != existing))
        {
            Discard(partPath);
            throw new IOException($"the server sent a different byte range ({response.Content.Headers.ContentRange}) than asked for (from {existing}); starting over");
        }
        long? total = resumed ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;
        if (!resumed)
            WriteEtag(partPath, response.Headers.ETag);

        long received = resumed ? existing : 0;
        await using (var file = new FileStream(partPath, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
        await using (var body = await response.Content.ReadAsStreamAsync(cancel))
        {
            progress?.Report(new DownloadProgress(DownloadStage.Downloading, received, total));
            var buffer = new byte[BufferSize];
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            while (true)
            {
                idle.CancelAfter(options.ReadTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, idle.Token);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    throw new TimeoutException($"no data for {options.ReadTimeout.TotalSeconds:0} s");
                }
                if (read == 0)
                    break;
                await file.WriteAsync(buffer.AsMemory(0, read), cancel);
                received += read;
                progress?.Report(new DownloadProgress(DownloadStage.Downloading, received, total));
            }
        }

        if (total is { } expected && received != expected)
            throw new IOException($"the connection closed after {received} of {expected} bytes");
        return received;
    }

    private static void ThrowIfFailed(Uri url, HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
            return;
        var status = response.StatusCode;
        string message = $"{url}: HTTP {(int)status} {response.ReasonPhrase}".TrimEnd();
        if (status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500)
            throw new HttpRequestException(message, null, status);
        throw new DownloadException(message);
    }

    /// <summary>Failures worth another attempt: lost or refused connections, stalls and server-side errors.</summary>
    private static bool IsTransient(Exception e, CancellationToken cancel) => e switch
    {
        _ when cancel.IsCancellationRequested => false,
        HttpRequestException http => http.StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)http.StatusCode >= 500,
        IOException or TimeoutException => true,
        TaskCanceledException => true, // HttpClient.Timeout while waiting for the response headers
        _ => false,
    };

    private static string EtagPath(string partPath) => partPath + ".etag";

    private static EntityTagHeaderValue? ReadEtag(string partPath)
    {
        string path = EtagPath(partPath);
        return File.Exists(path) && EntityTagHeaderValue.TryParse(File.ReadAllText(path), out var etag) ? etag : null;
    }

    /// <summary>Keeps a strong ETag for If-Range on resume; weak ones may not be used there.</summary>
    private static void WriteEtag(string partPath, EntityTagHeaderValue? etag)
    {
        if (etag is { IsWeak: false })
            File.WriteAllText(EtagPath(partPath), etag.ToString());
        else
            File.Delete(EtagPath(partPath));
    }
}
