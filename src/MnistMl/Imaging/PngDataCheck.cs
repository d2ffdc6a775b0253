using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MnistMl.Imaging;

/// <summary>
/// Says what is wrong with a PNG that SkiaSharp would not decode: libpng reports damaged and
/// truncated pixel data alike as "incomplete input", which sends a user looking for a short
/// download when the bytes are corrupt. Walks the chunks, checks their CRCs, and inflates the
/// image data to tell the cases apart.
/// </summary>
internal static class PngDataCheck
{
    private const int SignatureLength = 8;

    /// <summary>The PNG specification's largest width or height.</summary>
    private const long MaxSide = int.MaxValue;

    /// <summary>
    /// Where inflating stops when the header gives no expected length: the scanlines of the largest
    /// picture we decode at 16-bit RGBA, so a deflate bomb costs bounded time.
    /// </summary>
    private const long MaxInflatedBytes = (8 * ImageDecoder.MaxPixelCount) + ImageDecoder.MaxDimension;

    /// <summary>Why <paramref name="png"/> cannot be decoded, or null when this check finds nothing wrong.</summary>
    public static string? WhyUndecodable(ReadOnlySpan<byte> png)
    {
        using var compressed = new MemoryStream();
        var (width, height, bitDepth, colourType, interlaced) = (0L, 0L, 0, 0, false);
        var offset = SignatureLength;
        while (true)
        {
            if (png.Length - offset < 8)
            {
                return compressed.Length == 0 ? "the file ends before any image data" : null;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var type = Encoding.ASCII.GetString(png.Slice(offset + 4, 4));
            if (length > png.Length - offset - 12)
            {
                return $"the file ends inside its '{type}' chunk";
            }

            var data = png.Slice(offset + 8, (int)length);
            if (Crc32.Compute(png.Slice(offset + 4, 4 + (int)length)) != BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]))
            {
                return $"its '{type}' chunk fails its CRC check: the bytes are damaged";
            }

            switch (type)
            {
                case "IHDR" when length >= 13:
                    (width, height, bitDepth, colourType, interlaced) = (BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt32BigEndian(data[4..]), data[8], data[9], data[12] != 0);
                    if (width > MaxSide || height > MaxSide)
                    {
                        return $"its header declares {width:N0} × {height:N0} pixels, past the PNG limit of {MaxSide:N0} a side";
                    }

                    break;
                case "IDAT":
                    compressed.Write(data);
                    break;
                case "IEND":
                    return compressed.Length == 0 ? "it holds no image data (IDAT chunk)" : CheckImageData(compressed, RawLength(width, height, bitDepth, colourType, interlaced));
            }

            offset += 12 + (int)length;
        }
    }

    /// <summary>Inflates the image data: corrupt, short, or (null) as long as the header says.</summary>
    private static string? CheckImageData(MemoryStream compressed, long? expected)
    {
        compressed.Position = 0;
        using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
        var buffer = new byte[1 << 16];
        long total = 0;
        var limit = expected ?? MaxInflatedBytes;
        try
        {
            int read;
            while (total <= limit && (read = inflater.Read(buffer)) > 0)
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
            return "its compressed image data is corrupt: the bytes are damaged";
        }

        return expected is long needed && total < needed ? $"its image data ends early: {total:N0} of {needed:N0} bytes" : null;
    }

    /// <summary>Bytes of filtered scanlines a non-interlaced image holds; null when interlaced, the header is odd, or the length passes a long.</summary>
    private static long? RawLength(long width, long height, int bitDepth, int colourType, bool interlaced)
    {
        int? channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => null };
        if (interlaced || channels is null || bitDepth is not (1 or 2 or 4 or 8 or 16) || width == 0 || height == 0)
        {
            return null;
        }

        var length = (Int128)height * (1 + (((width * channels.Value * bitDepth) + 7) / 8));
        return length <= long.MaxValue ? (long)length : null;
    }
}
