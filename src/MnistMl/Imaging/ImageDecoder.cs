using MnistMl.Persistence;

namespace MnistMl.Imaging;

/// <summary>
/// Reads image files as <see cref="GrayImage"/>s, telling the format from the first bytes, not the
/// file name:
/// <list type="bullet">
/// <item><b>PNG</b> (every colour type and bit depth, interlaced or not; 16-bit samples cut to 8),
/// <b>JPEG</b> (EXIF orientation applied), <b>GIF</b> (first frame) and <b>WebP</b> through SkiaSharp,
/// whose native library comes in its NuGet package (no system package needed).</item>
/// <item><b>BMP</b>: 1- to 32-bit, bottom-up or top-down (not the OS/2 1.x 12-byte header, which SkiaSharp does not read).</item>
/// <item><b>PGM/PBM</b> (managed): P1, P2, P4, P5, with 8- or 16-bit samples.</item>
/// </list>
/// Colour becomes grey by BT.601 luma; transparent pixels are laid over white. Grey levels keep
/// the file's meaning, 0 = black and 255 = white. Sizes are checked against
/// <see cref="MaxDimension"/> and <see cref="MaxPixelCount"/> before anything is allocated, and
/// compressed data is never inflated past what the header's size needs, so no input can make the
/// decoder crash, hang or exhaust memory: every bad input is an <see cref="ImageFormatException"/>.
/// <code>
/// GrayImage image = ImageDecoder.Decode("seven.png");
/// Console.WriteLine(image);                            // 140 × 140 grey image
/// </code>
/// </summary>
public static class ImageDecoder
{
    /// <summary>The largest width or height decoded: 16,384 pixels.</summary>
    public const int MaxDimension = 16384;

    /// <summary>The most pixels decoded: 2²⁶ = 67,108,864 (e.g. 8192 × 8192, or a 64-megapixel photo).</summary>
    public const long MaxPixelCount = 1L << 26;

    /// <summary>The largest encoded image read: 256 MiB.</summary>
    public const int MaxEncodedBytes = 256 << 20;

    /// <summary>Decodes the image file at <paramref name="path"/>.</summary>
    /// <exception cref="ImageFormatException">The file is not a readable image; the message names it and says why.</exception>
    /// <exception cref="ImageCodecNotFoundException">The image needs SkiaSharp and its native library cannot be loaded.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="FileAccessException">The file cannot be read: permission, not a regular file, a symbolic-link loop.</exception>
    public static GrayImage Decode(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = InputFile.OpenRead(path, bufferSize: 1, FileOptions.SequentialScan);
        if (file.Length > MaxEncodedBytes)
        {
            throw new ImageFormatException(path, $"the file has {file.Length:N0} bytes, more than the {MaxEncodedBytes:N0} an image may have.");
        }

        var encoded = new byte[file.Length];
        file.ReadExactly(encoded);
        return DecodeData(encoded, path);
    }

    /// <summary>Decodes the image in <paramref name="stream"/>, read from its current position to its end.</summary>
    /// <param name="stream">The encoded image; it is read, not closed.</param>
    /// <param name="name">What error messages call the image; the file name of a <see cref="FileStream"/>, else <c>(stream)</c>.</param>
    /// <exception cref="ImageFormatException">The stream does not hold a readable image.</exception>
    /// <exception cref="ImageCodecNotFoundException">The image needs SkiaSharp and its native library cannot be loaded.</exception>
    public static GrayImage Decode(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        name ??= stream is FileStream file ? file.Name : "(stream)";
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxEncodedBytes)
            {
                throw new ImageFormatException(name, $"the stream holds more than the {MaxEncodedBytes:N0} bytes an image may have.");
            }

            buffer.Write(chunk, 0, read);
        }

        return DecodeData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), name);
    }

    /// <summary>Decodes an image held in memory, e.g. an upload.</summary>
    /// <param name="encoded">The bytes of the image file.</param>
    /// <param name="name">What error messages call the image; <c>(bytes)</c> when null.</param>
    /// <param name="maxPixels">Refuse a larger picture, read from its header before anything is decoded (a server's tighter limit); at most <see cref="MaxPixelCount"/>.</param>
    /// <exception cref="ImageTooLargeException">The header gives more pixels than allowed, or a side past <see cref="MaxDimension"/>.</exception>
    /// <exception cref="ImageFormatException">The bytes are not a readable image.</exception>
    /// <exception cref="ImageCodecNotFoundException">The image needs SkiaSharp and its native library cannot be loaded.</exception>
    public static GrayImage Decode(byte[] encoded, string? name = null, long maxPixels = MaxPixelCount)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPixels, MaxPixelCount);
        return DecodeData(encoded, name ?? "(bytes)", maxPixels);
    }

    private static GrayImage DecodeData(ReadOnlySpan<byte> data, string name, long maxPixels = MaxPixelCount)
    {
        if (data.IsEmpty)
        {
            throw new ImageFormatException(name, "the image is empty (0 bytes).");
        }

        if (SkiaDecoder.FormatOf(data) is { } format)
        {
            return SkiaDecoder.Decode(data, name, format, maxPixels);
        }

        if (PnmDecoder.IsPnm(data))
        {
            return PnmDecoder.Decode(data, name, maxPixels);
        }

        var start = Convert.ToHexString(data[..Math.Min(8, data.Length)]);
        throw new ImageFormatException(name, $"not a PNG, JPEG, GIF, WebP, BMP or PGM/PBM image: it starts with the bytes {start}.");
    }

    /// <summary>Checks a size read from a header before anything of that size is allocated.</summary>
    /// <exception cref="ImageFormatException">A side is zero or negative.</exception>
    /// <exception cref="ImageTooLargeException">The size passes <see cref="MaxDimension"/> or <paramref name="maxPixels"/>.</exception>
    internal static void CheckSize(string name, long width, long height, long maxPixels = MaxPixelCount)
    {
        if (width < 1 || height < 1)
        {
            throw new ImageFormatException(name, $"the header gives the image a size of {width} × {height} pixels; both must be at least 1.");
        }

        if (width > MaxDimension || height > MaxDimension)
        {
            throw new ImageTooLargeException(name, width, height, $"the header gives the image a size of {width} × {height} pixels; MnistMl decodes at most {MaxDimension} per side.");
        }

        if (width * height > maxPixels)
        {
            throw new ImageTooLargeException(name, width, height, $"the header gives the image {width * height:N0} pixels ({width} × {height}); {(maxPixels == MaxPixelCount ? "MnistMl decodes" : "this reader takes")} at most {maxPixels:N0}.");
        }
    }
}
