using System.Buffers.Binary;
using System.IO.Compression;

namespace MnistMl.Imaging;

/// <summary>
/// Writes 8-bit greyscale and RGB PNGs in managed code: one IHDR, one zlib-compressed IDAT and
/// IEND, each with its CRC. Each scanline takes the filter (none, sub, up, average or Paeth) whose
/// output has the smallest sum of absolute values, the usual heuristic for small files. The
/// output depends only on the pixels, so saved images are byte-for-byte reproducible.
/// <code>
/// File.WriteAllBytes("digit.png", PngEncoder.Encode(image));
/// </code>
/// </summary>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes a grey image as an 8-bit greyscale PNG (0 = black, 255 = white).</summary>
    public static byte[] Encode(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Width, image.Height, image.Pixels, channels: 1);
    }

    /// <summary>Encodes an 8-bit RGB image: <paramref name="rgb"/> holds <c>width × height</c> pixels of red, green, blue, row-major.</summary>
    /// <exception cref="ArgumentException">A size is not positive, or <paramref name="rgb"/> does not hold <c>3 × width × height</c> bytes.</exception>
    public static byte[] EncodeRgb(int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (3L * width * height != rgb.Length)
        {
            throw new ArgumentException($"A {width} × {height} RGB image has {3L * width * height} bytes, not {rgb.Length}.", nameof(rgb));
        }

        return Encode(width, height, rgb, channels: 3);
    }

    private static byte[] Encode(int width, int height, ReadOnlySpan<byte> pixels, int channels)
    {
        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)height);
        header[8] = 8;                                  // bit depth
        header[9] = (byte)(channels == 1 ? 0 : 2);      // greyscale or truecolour
        header[10] = header[11] = header[12] = 0;       // deflate, adaptive filtering, no interlace
        WriteChunk(png, "IHDR"u8, header);
        WriteChunk(png, "IDAT"u8, Compress(width, height, pixels, channels));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static byte[] Compress(int width, int height, ReadOnlySpan<byte> pixels, int channels)
    {
        var rowBytes = width * channels;
        var previous = new byte[rowBytes];
        var candidates = new byte[5][];
        for (var f = 0; f < candidates.Length; f++)
        {
            candidates[f] = new byte[rowBytes + 1];
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                var row = pixels.Slice(y * rowBytes, rowBytes);
                var best = 0;
                var bestCost = long.MaxValue;
                for (var f = 0; f < candidates.Length; f++)
                {
                    var cost = Filter((byte)f, row, previous, channels, candidates[f]);
                    if (cost < bestCost)
                    {
                        (best, bestCost) = (f, cost);
                    }
                }

                zlib.Write(candidates[best]);
                row.CopyTo(previous);
            }
        }

        return compressed.ToArray();
    }

    /// <summary>Writes the filter byte and the filtered row into <paramref name="output"/>; returns the sum of the bytes read as signed values.</summary>
    private static long Filter(byte filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, int bytesPerPixel, Span<byte> output)
    {
        output[0] = filter;
        var filtered = output[1..];
        switch (filter)
        {
            case 0:
                row.CopyTo(filtered);
                break;
            case 1:
                row[..bytesPerPixel].CopyTo(filtered);
                for (var i = bytesPerPixel; i < row.Length; i++)
                {
                    filtered[i] = (byte)(row[i] - row[i - bytesPerPixel]);
                }

                break;
            case 2:
                for (var i = 0; i < row.Length; i++)
                {
                    filtered[i] = (byte)(row[i] - above[i]);
                }

                break;
            case 3:
                for (var i = 0; i < bytesPerPixel; i++)
                {
                    filtered[i] = (byte)(row[i] - (above[i] >> 1));
                }

                for (var i = bytesPerPixel; i < row.Length; i++)
                {
                    filtered[i] = (byte)(row[i] - ((row[i - bytesPerPixel] + above[i]) >> 1));
                }

                break;
            default:
                for (var i = 0; i < bytesPerPixel; i++)
                {
                    filtered[i] = (byte)(row[i] - above[i]);   // Paeth with no left neighbours predicts the byte above
                }

                for (var i = bytesPerPixel; i < row.Length; i++)
                {
                    filtered[i] = (byte)(row[i] - Paeth(row[i - bytesPerPixel], above[i], above[i - bytesPerPixel]));
                }

                break;
        }

        long cost = 0;
        foreach (var value in filtered)
        {
            cost += Math.Abs((int)(sbyte)value);
        }

        return cost;
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        png.Write(word);
        png.Write(type);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(type), data));
        png.Write(word);
    }

    /// <summary>The neighbour (left, above, upper-left) nearest to left + above − upper-left, ties in that order (PNG's Paeth predictor).</summary>
    internal static byte Paeth(int left, int above, int upperLeft)
    {
        var estimate = left + above - upperLeft;
        var toLeft = Math.Abs(estimate - left);
        var toAbove = Math.Abs(estimate - above);
        var toUpperLeft = Math.Abs(estimate - upperLeft);
        return (byte)(toLeft <= toAbove && toLeft <= toUpperLeft ? left : toAbove <= toUpperLeft ? above : upperLeft);
    }
}
