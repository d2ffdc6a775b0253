using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MnistMl.Imaging;

/// <summary>
/// PNG (ISO/IEC 15948) decoded to grey in managed code. Chunks are walked and CRC-checked first;
/// the IDAT data is then inflated one scanline at a time (never more than the header's size
/// needs, which defeats decompression bombs), unfiltered against the previous scanline of its
/// pass, and converted to grey straight into the output, so memory is the output plus two
/// scanlines whatever the colour type and bit depth.
/// </summary>
internal static class PngDecoder
{
    private const byte Greyscale = 0;
    private const byte Truecolour = 2;
    private const byte IndexedColour = 3;
    private const byte GreyscaleWithAlpha = 4;
    private const byte TruecolourWithAlpha = 6;

    /// <summary>Deflate's largest expansion: a 258-byte match coded in as little as 2 bits gives about 1032 bytes per input byte.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Adam7's passes: the first column and row of each, and the steps between the pixels it holds.</summary>
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>The bytes a chunk type may hold: ASCII letters.</summary>
    private static readonly SearchValues<byte> Letters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith(Signature[..4]);

    public static GrayImage Decode(ReadOnlySpan<byte> data, string name)
    {
        if (!data.StartsWith(Signature))
        {
            throw new ImageFormatException(name, data.Length < Signature.Length
                ? $"truncated PNG signature: the file ends after {data.Length} bytes."
                : "damaged PNG signature: its bytes 5 to 8, which a text-mode transfer alters, are wrong.");
        }

        var header = ReadChunks(data, name, out var palette, out var transparency, out var compressed);
        var expected = header.ImageDataBytes;
        if (expected > (compressed.LongLength + 1) * MaxDeflateRatio)
        {
            // Checked before the output is allocated: a tiny file cannot claim a huge image.
            throw new ImageFormatException(name, $"truncated image data: {compressed.Length:N0} compressed bytes cannot inflate to the {expected:N0} bytes that {header.Description} of {header.Width} × {header.Height} needs.");
        }

        var greys = GreyPalette(header, palette, transparency);
        var image = new GrayImage(header.Width, header.Height);
        Inflate(compressed, header, greys, transparency, image, name);
        return image;
    }

    /// <summary>Walks the chunks up to IEND, checking CRCs, order and sizes; returns the header and collects PLTE, tRNS and the IDAT data.</summary>
    private static Header ReadChunks(ReadOnlySpan<byte> data, string name, out byte[]? palette, out byte[]? transparency, out byte[] compressed)
    {
        Header? header = null;
        palette = null;
        transparency = null;
        var idat = new List<(int Start, int Length)>();
        var idatEnded = false;
        var position = Signature.Length;
        while (true)
        {
            if (position + 8 > data.Length)
            {
                throw new ImageFormatException(name, $"truncated PNG: the file ends after {data.Length} bytes, before the IEND chunk.");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            var typeBytes = data.Slice(position + 4, 4);
            var type = Encoding.ASCII.GetString(typeBytes);
            if (typeBytes.ContainsAnyExcept(Letters))
            {
                throw new ImageFormatException(name, $"the chunk at byte {position} has type bytes {Convert.ToHexString(typeBytes)}, which are not four letters: the file is corrupt.");
            }

            if (length > int.MaxValue || position + 12L + length > data.Length)
            {
                throw new ImageFormatException(name, $"truncated PNG: chunk {type} at byte {position} declares {length:N0} data bytes, but the file ends after {data.Length:N0}.");
            }

            var body = data.Slice(position + 8, (int)length);
            var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 8 + (int)length)..]);
            var actualCrc = Crc32.Compute(data.Slice(position + 4, 4 + (int)length));
            if (storedCrc != actualCrc)
            {
                throw new ImageFormatException(name, $"chunk {type} at byte {position} fails its CRC check (stored {storedCrc:X8}, computed {actualCrc:X8}): the file is corrupt.");
            }

            if (header is null && type != "IHDR")
            {
                throw new ImageFormatException(name, $"the first chunk is {type}; a PNG must start with IHDR.");
            }

            if (idat.Count > 0 && type != "IDAT")
            {
                idatEnded = true;
            }

            switch (type)
            {
                case "IHDR":
                    if (header is not null)
                    {
                        throw new ImageFormatException(name, "the PNG has a second IHDR chunk.");
                    }

                    header = Header.Parse(body, name);
                    break;
                case "PLTE":
                    palette = ReadPalette(body, header!, palette, idat.Count > 0, name);
                    break;
                case "tRNS":
                    transparency = ReadTransparency(body, header!, palette, idat.Count > 0, name);
                    break;
                case "IDAT":
                    if (idatEnded)
                    {
                        throw new ImageFormatException(name, $"the IDAT chunk at byte {position} is separated from the earlier IDAT chunks; they must be consecutive.");
                    }

                    if (header!.ColourType == IndexedColour && palette is null)
                    {
                        throw new ImageFormatException(name, "the indexed-colour PNG has no PLTE chunk before its image data.");
                    }

                    idat.Add((position + 8, (int)length));
                    break;
                case "IEND":
                    if (idat.Count == 0)
                    {
                        throw new ImageFormatException(name, "the PNG has no IDAT chunk: there is no image data.");
                    }

                    compressed = new byte[idat.Sum(c => (long)c.Length)];
                    var offset = 0;
                    foreach (var (start, count) in idat)
                    {
                        data.Slice(start, count).CopyTo(compressed.AsSpan(offset));
                        offset += count;
                    }

                    return header!;
                default:
                    // Bit 5 of the first letter (lower case) marks a chunk a decoder may skip.
                    if ((typeBytes[0] & 0x20) == 0)
                    {
                        throw new ImageFormatException(name, $"the PNG has an unknown critical chunk {type}; it cannot be decoded without it.");
                    }

                    break;
            }

            position += 12 + (int)length;
        }
    }

    private static byte[] ReadPalette(ReadOnlySpan<byte> body, Header header, byte[]? previous, bool afterImageData, string name)
    {
        if (previous is not null || afterImageData)
        {
            throw new ImageFormatException(name, previous is not null ? "the PNG has a second PLTE chunk." : "the PLTE chunk comes after the image data.");
        }

        if (header.ColourType is Greyscale or GreyscaleWithAlpha)
        {
            throw new ImageFormatException(name, "a greyscale PNG has a PLTE chunk, which only colour images may have.");
        }

        var entries = body.Length / 3;
        if (body.Length % 3 != 0 || entries < 1 || entries > 256)
        {
            throw new ImageFormatException(name, $"the PLTE chunk has {body.Length} bytes; a palette is 1 to 256 entries of 3 bytes.");
        }

        if (header.ColourType == IndexedColour && entries > 1 << header.BitDepth)
        {
            throw new ImageFormatException(name, $"the palette has {entries} entries, more than {header.BitDepth}-bit indices can reach.");
        }

        return body.ToArray();
    }

    private static byte[] ReadTransparency(ReadOnlySpan<byte> body, Header header, byte[]? palette, bool afterImageData, string name)
    {
        if (afterImageData)
        {
            throw new ImageFormatException(name, "the tRNS chunk comes after the image data.");
        }

        var valid = header.ColourType switch
        {
            Greyscale => body.Length == 2,
            Truecolour => body.Length == 6,
            IndexedColour => palette is not null && body.Length <= palette.Length / 3,
            _ => throw new ImageFormatException(name, "the PNG has both an alpha channel and a tRNS chunk."),
        };
        return valid
            ? body.ToArray()
            : throw new ImageFormatException(name, $"the tRNS chunk has {body.Length} bytes, which does not fit {header.Description}{(header.ColourType == IndexedColour ? " and its palette" : "")}.");
    }

    /// <summary>For indexed colour, the grey level of every palette entry (over white where tRNS makes it transparent); null otherwise.</summary>
    private static byte[]? GreyPalette(Header header, byte[]? palette, byte[]? transparency)
    {
        if (header.ColourType != IndexedColour)
        {
            return null;
        }

        var greys = new byte[palette!.Length / 3];
        for (var i = 0; i < greys.Length; i++)
        {
            var luma = GreyLevels.Luma(palette[3 * i], palette[(3 * i) + 1], palette[(3 * i) + 2]);
            var alpha = transparency is not null && i < transparency.Length ? transparency[i] : 255;
            greys[i] = (byte)GreyLevels.OverWhite(luma, alpha, 255);
        }

        return greys;
    }

    /// <summary>Inflates, unfilters and converts every scanline of every pass into <paramref name="image"/>.</summary>
    private static void Inflate(byte[] compressed, Header header, byte[]? greyPalette, byte[]? transparency, GrayImage image, string name)
    {
        var passes = header.Passes;
        var expected = header.ImageDataBytes;
        var bytesPerPixel = Math.Max(1, header.BitsPerPixel / 8);
        var widest = (int)((((long)header.Width * header.BitsPerPixel) + 7) / 8);
        var previous = new byte[widest + 1];
        var current = new byte[widest + 1];
        var converter = new ScanlineConverter(header, greyPalette, transparency, image, name);
        long inflated = 0;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            foreach (var (x0, y0, dx, dy) in passes)
            {
                var columns = (header.Width - x0 + dx - 1) / dx;
                var rows = (header.Height - y0 + dy - 1) / dy;
                if (columns <= 0 || rows <= 0)
                {
                    continue;
                }

                var rowBytes = (int)((((long)columns * header.BitsPerPixel) + 7) / 8);
                Array.Clear(previous);
                for (var row = 0; row < rows; row++)
                {
                    var line = current.AsSpan(0, rowBytes + 1);
                    var got = zlib.ReadAtLeast(line, line.Length, throwOnEndOfStream: false);
                    inflated += got;
                    if (got < line.Length)
                    {
                        throw new ImageFormatException(name, $"truncated image data: it inflates to {inflated:N0} bytes, but {header.Description} of {header.Width} × {header.Height} needs {expected:N0}.");
                    }

                    var y = y0 + (row * dy);
                    Unfilter(line[0], line[1..], previous.AsSpan(1, rowBytes), bytesPerPixel, y, name);
                    converter.Convert(line[1..], columns, x0, dx, y);
                    (previous, current) = (current, previous);
                }
            }

            // One more byte shows whether the stream holds more than the image (and reaches the Adler-32 check).
            Span<byte> extra = stackalloc byte[1];
            if (zlib.Read(extra) > 0)
            {
                throw new ImageFormatException(name, $"the image data inflates to more than the {expected:N0} bytes that {header.Description} of {header.Width} × {header.Height} needs.");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ImageFormatException(name, $"the compressed image data is corrupt after {inflated:N0} inflated bytes: {ex.Message}", ex);
        }
    }

    /// <summary>Reverses the scanline's filter in place; <paramref name="previous"/> is the unfiltered scanline above (zeros for a pass's first).</summary>
    private static void Unfilter(byte filter, Span<byte> line, ReadOnlySpan<byte> previous, int bytesPerPixel, int y, string name)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (var i = bytesPerPixel; i < line.Length; i++)
                {
                    line[i] += line[i - bytesPerPixel];
                }

                break;
            case 2:
                for (var i = 0; i < line.Length; i++)
                {
                    line[i] += previous[i];
                }

                break;
            case 3:
                for (var i = 0; i < line.Length; i++)
                {
                    var left = i >= bytesPerPixel ? line[i - bytesPerPixel] : 0;
                    line[i] += (byte)((left + previous[i]) >> 1);
                }

                break;
            case 4:
                for (var i = 0; i < line.Length; i++)
                {
                    var left = i >= bytesPerPixel ? line[i - bytesPerPixel] : 0;
                    var upperLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                    line[i] += Paeth(left, previous[i], upperLeft);
                }

                break;
            default:
                throw new ImageFormatException(name, $"the scanline of row {y} has filter type {filter}; PNG's filter types are 0 to 4.");
        }
    }

    /// <summary>The neighbour (left, above, upper-left) nearest to left + above − upper-left, ties in that order.</summary>
    internal static byte Paeth(int left, int above, int upperLeft)
    {
        var estimate = left + above - upperLeft;
        var toLeft = Math.Abs(estimate - left);
        var toAbove = Math.Abs(estimate - above);
        var toUpperLeft = Math.Abs(estimate - upperLeft);
        return (byte)(toLeft <= toAbove && toLeft <= toUpperLeft ? left : toAbove <= toUpperLeft ? above : upperLeft);
    }

    /// <summary>The IHDR chunk, validated.</summary>
    private sealed record Header(int Width, int Height, byte BitDepth, byte ColourType, bool Interlaced)
    {
        public int Channels => ColourType switch
        {
            Truecolour => 3,
            GreyscaleWithAlpha => 2,
            TruecolourWithAlpha => 4,
            _ => 1,
        };

        public int BitsPerPixel => Channels * BitDepth;

        public (int X0, int Y0, int Dx, int Dy)[] Passes => Interlaced ? Adam7 : [(0, 0, 1, 1)];

        /// <summary>The bytes the IDAT data must inflate to: every pass's filtered scanlines.</summary>
        public long ImageDataBytes => Passes.Sum(p => PassBytes(p.X0, p.Y0, p.Dx, p.Dy));

        public string Description => $"{(BitDepth == 8 ? "an" : "a")} {BitDepth}-bit {ColourType switch
        {
            Greyscale => "greyscale",
            Truecolour => "RGB",
            IndexedColour => "indexed-colour",
            GreyscaleWithAlpha => "greyscale+alpha",
            _ => "RGBA",
        }} image";

        /// <summary>Filtered bytes of one pass: a filter byte and the packed pixels per row; none for an empty pass.</summary>
        public long PassBytes(int x0, int y0, int dx, int dy)
        {
            long columns = (Width - x0 + dx - 1) / dx;
            long rows = (Height - y0 + dy - 1) / dy;
            return columns <= 0 || rows <= 0 ? 0 : rows * (1 + (((columns * BitsPerPixel) + 7) / 8));
        }

        public static Header Parse(ReadOnlySpan<byte> body, string name)
        {
            if (body.Length != 13)
            {
                throw new ImageFormatException(name, $"the IHDR chunk has {body.Length} bytes instead of 13.");
            }

            var width = BinaryPrimitives.ReadUInt32BigEndian(body);
            var height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
            ImageDecoder.CheckSize(name, width, height);
            var (bitDepth, colourType) = (body[8], body[9]);
            var depthAllowed = colourType switch
            {
                Greyscale => bitDepth is 1 or 2 or 4 or 8 or 16,
                IndexedColour => bitDepth is 1 or 2 or 4 or 8,
                Truecolour or GreyscaleWithAlpha or TruecolourWithAlpha => bitDepth is 8 or 16,
                _ => throw new ImageFormatException(name, $"the IHDR chunk gives colour type {colourType}; PNG's colour types are 0, 2, 3, 4 and 6."),
            };
            if (!depthAllowed)
            {
                throw new ImageFormatException(name, $"the IHDR chunk gives bit depth {bitDepth}, which colour type {colourType} does not allow.");
            }

            if (body[10] != 0 || body[11] != 0)
            {
                throw new ImageFormatException(name, $"the IHDR chunk gives compression method {body[10]} and filter method {body[11]}; PNG defines only method 0 of each.");
            }

            if (body[12] > 1)
            {
                throw new ImageFormatException(name, $"the IHDR chunk gives interlace method {body[12]}; PNG defines 0 (none) and 1 (Adam7).");
            }

            return new Header((int)width, (int)height, bitDepth, colourType, body[12] == 1);
        }
    }

    /// <summary>Turns one unfiltered scanline of packed samples into grey levels in the output image.</summary>
    private sealed class ScanlineConverter(Header header, byte[]? greyPalette, byte[]? transparency, GrayImage image, string name)
    {
        private readonly int _max = (1 << header.BitDepth) - 1;
        private readonly int _transparentGrey = transparency is { Length: 2 } ? BinaryPrimitives.ReadUInt16BigEndian(transparency) : -1;
        private readonly int[]? _transparentRgb = transparency is { Length: 6 }
            ? [BinaryPrimitives.ReadUInt16BigEndian(transparency), BinaryPrimitives.ReadUInt16BigEndian(transparency.AsSpan(2)), BinaryPrimitives.ReadUInt16BigEndian(transparency.AsSpan(4))]
            : null;

        public void Convert(ReadOnlySpan<byte> line, int columns, int x0, int dx, int y)
        {
            var output = image.Pixels.AsSpan(y * image.Width, image.Width);
            if (header is { ColourType: Greyscale, BitDepth: 8 } && _transparentGrey < 0 && dx == 1)
            {
                line[..columns].CopyTo(output);   // the common case, and what PngEncoder writes
                return;
            }

            for (var i = 0; i < columns; i++)
            {
                output[x0 + (i * dx)] = Grey(line, i, x0 + (i * dx), y);
            }
        }

        private byte Grey(ReadOnlySpan<byte> line, int i, int x, int y)
        {
            switch (header.ColourType)
            {
                case Greyscale:
                    var grey = Sample(line, i);
                    return grey == _transparentGrey ? (byte)255 : GreyLevels.ToByte(grey, _max);
                case IndexedColour:
                    var index = Sample(line, i);
                    return index < greyPalette!.Length
                        ? greyPalette[index]
                        : throw new ImageFormatException(name, $"pixel ({x}, {y}) refers to palette entry {index}, but the palette has {greyPalette.Length}.");
                case Truecolour:
                    var (r, g, b) = (Sample(line, 3 * i), Sample(line, (3 * i) + 1), Sample(line, (3 * i) + 2));
                    return _transparentRgb is { } key && r == key[0] && g == key[1] && b == key[2]
                        ? (byte)255
                        : GreyLevels.ToByte(GreyLevels.Luma(r, g, b), _max);
                case GreyscaleWithAlpha:
                    return GreyLevels.ToByte(GreyLevels.OverWhite(Sample(line, 2 * i), Sample(line, (2 * i) + 1), _max), _max);
                default:
                    var luma = GreyLevels.Luma(Sample(line, 4 * i), Sample(line, (4 * i) + 1), Sample(line, (4 * i) + 2));
                    return GreyLevels.ToByte(GreyLevels.OverWhite(luma, Sample(line, (4 * i) + 3), _max), _max);
            }
        }

        /// <summary>Sample <paramref name="k"/> of the scanline: packed most significant bits first below 8 bits, big-endian at 16.</summary>
        private int Sample(ReadOnlySpan<byte> line, int k) => header.BitDepth switch
        {
            8 => line[k],
            16 => BinaryPrimitives.ReadUInt16BigEndian(line[(2 * k)..]),
            _ => (line[k * header.BitDepth / 8] >> (8 - header.BitDepth - (k * header.BitDepth % 8))) & _max,
        };
    }
}
