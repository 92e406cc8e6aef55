using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CrnnGan.Tests.Data;

internal sealed record ReceivedRequest(int Index, string Method, string Path, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <param name="DropAfterBytes">Close the connection after sending this many body bytes, whatever Content-Length says.</param>
internal sealed record CannedResponse(int Status, byte[] Body, IReadOnlyDictionary<string, string>? Headers = null, long? DropAfterBytes = null)
{
    public static CannedResponse NotFound() => new(404, Encoding.ASCII.GetBytes("not found"));

    /// <summary>The file, or with <c>Range: bytes=N-</c> (and <paramref name="honourRange"/>) its tail as 206 Partial Content.</summary>
    public static CannedResponse File(byte[] data, ReceivedRequest request, bool honourRange = true, long? dropAfterBytes = null, string? etag = null)
    {
        var headers = new Dictionary<string, string>();
        if (etag is not null)
            headers["ETag"] = etag;
        string? range = request.Header("Range");
        if (honourRange && range is not null && range.StartsWith("bytes=") && range.EndsWith('-')
            && long.TryParse(range["bytes=".Length..^1], out long from) && from < data.Length)
        {
            headers["Content-Range"] = $"bytes {from}-{data.Length - 1}/{data.Length}";
            return new CannedResponse(206, data[(int)from..], headers, dropAfterBytes);
        }
        return new CannedResponse(200, data, headers, dropAfterBytes);
    }
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 for tests: one request per connection, answered by a handler, every
/// request recorded. It stops when disposed, and by itself after a minute at most.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new(Lifetime);
    private readonly Func<ReceivedRequest, CannedResponse> _handler;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _requestCount;

    public LoopbackHttpServer(Func<ReceivedRequest, CannedResponse> handler)
    {
        _handler = handler;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests.OrderBy(request => request.Index)];

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>Stops accepting connections; the accept loop ends by itself, so nothing here blocks a thread.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream);
                if (request is null)
                    return;
                _requests.Enqueue(request);
                await WriteResponseAsync(stream, _handler(request));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    private async Task<ReceivedRequest?> ReadRequestAsync(NetworkStream stream)
    {
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        string? requestLine = await reader.ReadLineAsync(_stop.Token);
        if (string.IsNullOrEmpty(requestLine))
            return null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (string? line = await reader.ReadLineAsync(_stop.Token); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync(_stop.Token))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        string[] parts = requestLine.Split(' ');
        return new ReceivedRequest(Interlocked.Increment(ref _requestCount), parts[0], parts.Length > 1 ? parts[1] : "/", headers);
    }

    private async Task WriteResponseAsync(NetworkStream stream, CannedResponse response)
    {
        var head = new StringBuilder()
            .Append($"HTTP/1.1 {response.Status} {ReasonPhrase(response.Status)}\r\n")
            .Append($"Content-Length: {response.Body.Length}\r\n")
            .Append("Connection: close\r\n");
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            head.Append($"{name}: {value}\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);

        int bodyBytes = (int)Math.Min(response.Body.Length, response.DropAfterBytes ?? long.MaxValue);
        await stream.WriteAsync(response.Body.AsMemory(0, bodyBytes), _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        206 => "Partial Content",
        404 => "Not Found",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        _ => "Status",
    };
}
