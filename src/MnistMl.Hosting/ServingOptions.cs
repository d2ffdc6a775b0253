namespace MnistMl.Hosting;

/// <summary>The limits of the prediction endpoints: past them a request is refused with 413, and nothing larger is read.</summary>
public sealed class ServingOptions
{
    /// <summary>Largest request body read, in bytes. Default 4 MiB (a phone photo; a batch of 5,000 grey-level images).</summary>
    public long MaxRequestBytes { get; set; } = 4 << 20;

    /// <summary>Most images one batch request may hold. Default 5,000.</summary>
    public int MaxBatchImages { get; set; } = 5_000;

    /// <summary>
    /// Most pixels a picture may have, read from its header before it is decoded. Default 4,194,304
    /// (2048 × 2048, a 16 MiB decode); at most <see cref="Imaging.ImageDecoder.MaxPixelCount"/>.
    /// </summary>
    public long MaxPicturePixels { get; set; } = 1L << 22;

    /// <summary>
    /// Most pixels the pictures of one request may have in all, read from their headers before
    /// each is decoded. Default 16,777,216 (four pictures at the largest; thousands of small ones).
    /// </summary>
    public long MaxRequestPixels { get; set; } = 1L << 24;
}
