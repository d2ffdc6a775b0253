using System.Buffers;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace MnistMl.Data;

/// <summary>
/// Downloads one MNIST file from the first mirror that delivers it intact. The body goes to a
/// temporary file beside the destination, is verified by the SHA-256 of its decompressed content,
/// and only then renamed to its final name, so a failed or cancelled download leaves nothing
/// under that name.
/// </summary>
internal sealed class MnistDownloader(IReadOnlyList<Uri> mirrors, TimeSpan timeout, IProgress<MnistDownloadProgress>? progress)
{
    private const int BufferSize = 1 << 16;

    // Gzip headers and trailers add a few dozen bytes; a download longer than the decompressed
    // content plus this slack cannot be a copy of the file.
    private const long DownloadSlack = 1 << 16;

    // One client for the process: HttpClient pools connections and is safe to share. Timeouts are
    // per download (see DownloadFromAsync), so the client's own is off.
    private static readonly HttpClient SharedClient = CreateClient();

    /// <summary>Tries each mirror in turn; returns whether one succeeded. Every attempt goes into <paramref name="log"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<bool> DownloadAsync(MnistFile file, string folder, DataSearchLog log, CancellationToken cancellationToken)
    {
        foreach (var mirror in mirrors)
        {
            var url = FileUrl(mirror, file);
            var temporaryPath = Path.Combine(folder, $".{file.Name}.{Guid.NewGuid():N}.part");
            try
            {
                await DownloadFromAsync(url, file, temporaryPath, cancellationToken).ConfigureAwait(false);
                var rejection = Verify(temporaryPath, file, out var isGzip, cancellationToken);
                if (rejection is null)
                {
                    var finalPath = Path.Combine(folder, isGzip ? file.Name + MnistFile.GzipExtension : file.Name);
                    File.Move(temporaryPath, finalPath, overwrite: true);
                    return true;
                }

                log.Add(url.ToString(), url.ToString(), $"rejected: {rejection}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                log.Add(url.ToString(), url.ToString(), $"timed out after {timeout.TotalSeconds:0.###} s");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or UnauthorizedAccessException)
            {
                log.Add(url.ToString(), url.ToString(), Describe(ex));
            }
            finally
            {
                File.Delete(temporaryPath); // no-op once renamed, or when it was never created
            }
        }

        return false;
    }

    private static Uri FileUrl(Uri mirror, MnistFile file)
    {
        // Without a trailing slash, the mirror's last path segment would be replaced, not extended.
        var folder = mirror.AbsoluteUri.EndsWith('/') ? mirror : new Uri(mirror.AbsoluteUri + "/");
        return new Uri(folder, file.Name + MnistFile.GzipExtension);
    }

    private async Task DownloadFromAsync(Uri url, MnistFile file, string temporaryPath, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var token = deadline.Token;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await SharedClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var maxLength = file.Length + DownloadSlack;
        var total = response.Content.Headers.ContentLength;
        if (total > maxLength)
        {
            throw new IOException($"the server announces {total} bytes, more than this file can take ({maxLength})");
        }

        var fileName = Path.GetFileName(url.AbsolutePath);
        var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var target = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
            {
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    var received = 0L;
                    progress?.Report(new MnistDownloadProgress(fileName, url, received, total));
                    int read;
                    while ((read = await body.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
                    {
                        received += read;
                        if (received > maxLength)
                        {
                            throw new IOException($"the server sent more than the {maxLength} bytes this file can take");
                        }

                        await target.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                        progress?.Report(new MnistDownloadProgress(fileName, url, received, total));
                    }

                    if (total is long announced && received != announced)
                    {
                        throw new IOException($"the connection ended after {received} of {announced} bytes");
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                // On disk before the rename, so a crash cannot leave a verified name over missing bytes.
                target.Flush(flushToDisk: true);
            }
        }
    }

    /// <summary>Checks the downloaded file's (decompressed) content; returns why it is rejected, or null.</summary>
    private static string? Verify(string path, MnistFile file, out bool isGzip, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        isGzip = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        stream.Position = 0;

        using var content = isGzip ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : (Stream)new BufferedStream(stream);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var length = 0L;
            int read;
            while ((read = content.Read(buffer, 0, BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                length += read;
                if (length > file.Length)
                {
                    // Stop here: a gzip bomb must not be inflated to the end.
                    return $"its content is longer than the {file.Length} bytes of {file.Name}";
                }

                sha256.AppendData(buffer, 0, read);
            }

            if (length != file.Length)
            {
                return $"its content is {length} bytes, but {file.Name} has {file.Length}";
            }
        }
        catch (InvalidDataException)
        {
            return IdxReader.CorruptGzipReason;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var actual = Convert.ToHexStringLower(sha256.GetHashAndReset());
        return actual == file.Sha256 ? null : $"SHA-256 of its content is {actual}, expected {file.Sha256}";
    }

    private static string Describe(Exception ex) =>
        ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{ex.Message} ({inner.Message})"
            : ex.Message;

    private static HttpClient CreateClient()
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("MnistMl", typeof(MnistDownloader).Assembly.GetName().Version?.ToString(3)));
        return client;
    }
}
