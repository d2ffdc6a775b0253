using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MnistMl.Tests.Data;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 (an ephemeral port) standing in for an MNIST
/// mirror. Built on <see cref="TcpListener"/> so it can misbehave the way real servers do: drop
/// a connection mid-body or stall. It serves files by the last segment of the request path and
/// answers 404 for anything else, one request per connection. It is bounded: it accepts at most
/// <see cref="MaxConnections"/> connections and stops by itself after <see cref="Lifetime"/>, or
/// when disposed.
/// </summary>
internal sealed class LoopbackMirror : IDisposable
{
    private const int MaxConnections = 32;
    private const int MaxRequestHeadBytes = 8192;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyDictionary<string, MirrorFile> _files;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new(Lifetime);
    private readonly Task _serving;
    private int _requestCount;

    public LoopbackMirror(IReadOnlyDictionary<string, MirrorFile> files)
    {
        _files = files;
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/mnist/");
        _serving = ServeAsync();
    }

    /// <summary>The mirror's base address; a file is served at this address plus its name.</summary>
    public Uri BaseAddress { get; }

    /// <summary>How many requests the mirror has received.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _serving.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var connections = new List<Task>();
        try
        {
            for (var i = 0; i < MaxConnections; i++)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(RespondAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped: disposed (before or during an accept), or the lifetime ran out.
        }

        _listener.Stop();
        await Task.WhenAll(connections);
    }

    private async Task RespondAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var path = await ReadRequestPathAsync(stream);
                Interlocked.Increment(ref _requestCount);
                if (!_files.TryGetValue(path[(path.LastIndexOf('/') + 1)..], out var file))
                {
                    await WriteHeadAsync(stream, "404 Not Found", 0);
                    return;
                }

                await WriteHeadAsync(stream, "200 OK", file.Body.Length);
                switch (file.Behaviour)
                {
                    case MirrorBehaviour.Complete:
                        await stream.WriteAsync(file.Body, _stop.Token);
                        break;
                    case MirrorBehaviour.DropMidBody:
                        await stream.WriteAsync(file.Body.AsMemory(0, file.Body.Length / 2), _stop.Token);
                        break;
                    case MirrorBehaviour.StallAfterHeaders:
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        break;
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // The client went away (as a downloader that gives up does), or the mirror stopped.
            }
        }
    }

    private async Task<string> ReadRequestPathAsync(NetworkStream stream)
    {
        var head = new byte[MaxRequestHeadBytes];
        var length = 0;
        while (head.AsSpan(0, length).IndexOf("\r\n\r\n"u8) < 0)
        {
            if (length == head.Length)
            {
                throw new IOException("request head too long");
            }

            var read = await stream.ReadAsync(head.AsMemory(length), _stop.Token);
            if (read == 0)
            {
                throw new IOException("connection closed before the request head ended");
            }

            length += read;
        }

        // "GET /mnist/t10k-labels-idx1-ubyte.gz HTTP/1.1"
        var requestLine = Encoding.ASCII.GetString(head, 0, head.AsSpan(0, length).IndexOf("\r\n"u8));
        return requestLine.Split(' ')[1];
    }

    private async Task WriteHeadAsync(NetworkStream stream, string status, int contentLength)
    {
        var head = $"HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\nContent-Length: {contentLength}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
    }
}
