using System.Buffers.Binary;
using System.Numerics;

namespace MnistMl.Imaging;

/// <summary>
/// Windows bitmaps decoded to grey: uncompressed 1-, 4- and 8-bit indexed, 24-bit BGR and 32-bit
/// (BGRX, or any channel masks with BI_BITFIELDS, whose alpha mask makes pixels transparent over
/// white), bottom-up (positive height) or top-down (negative height), with the core (12-byte) and
/// info (40- to 124-byte) headers. Run-length and embedded JPEG/PNG compression are refused.
/// </summary>
internal static class BmpDecoder
{
    private const int FileHeaderSize = 14;
    private const uint Uncompressed = 0;
    private const uint BitFields = 3;

    public static bool IsBmp(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 'B' && data[1] == 'M';

    public static GrayImage Decode(ReadOnlySpan<byte> data, string name)
    {
        if (data.Length < FileHeaderSize + 4)
        {
            throw new ImageFormatException(name, $"truncated BMP: the file ends after {data.Length} bytes, inside its header.");
        }

        var pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        var headerSize = BinaryPrimitives.ReadInt32LittleEndian(data[FileHeaderSize..]);
        if (headerSize is not (12 or 40 or 52 or 56 or 108 or 124))
        {
            throw new ImageFormatException(name, $"the BMP header has {headerSize} bytes; MnistMl reads the 12-byte core and the 40-, 52-, 56-, 108- and 124-byte info headers.");
        }

        if (FileHeaderSize + headerSize > data.Length)
        {
            throw new ImageFormatException(name, $"truncated BMP: its {headerSize}-byte header needs {FileHeaderSize + headerSize} bytes, but the file ends after {data.Length}.");
        }

        var dib = data.Slice(FileHeaderSize, headerSize);
        var core = headerSize == 12;
        long width = core ? BinaryPrimitives.ReadUInt16LittleEndian(dib[4..]) : BinaryPrimitives.ReadInt32LittleEndian(dib[4..]);
        long height = core ? BinaryPrimitives.ReadUInt16LittleEndian(dib[6..]) : BinaryPrimitives.ReadInt32LittleEndian(dib[8..]);
        var planes = BinaryPrimitives.ReadUInt16LittleEndian(dib[(core ? 8 : 12)..]);
        var bitCount = BinaryPrimitives.ReadUInt16LittleEndian(dib[(core ? 10 : 14)..]);
        var compression = core ? Uncompressed : BinaryPrimitives.ReadUInt32LittleEndian(dib[16..]);
        var topDown = height < 0;
        height = Math.Abs(height);
        ImageDecoder.CheckSize(name, width, height);
        if (planes != 1)
        {
            throw new ImageFormatException(name, $"the BMP header gives {planes} colour planes; it must be 1.");
        }

        if (bitCount is not (1 or 4 or 8 or 24 or 32))
        {
            throw new ImageFormatException(name, $"the BMP has {bitCount} bits per pixel; MnistMl reads 1, 4, 8, 24 and 32.");
        }

        if (compression != Uncompressed && !(compression == BitFields && bitCount == 32))
        {
            var kind = compression switch
            {
                1 or 2 => "run-length (RLE) compressed",
                3 => $"{bitCount}-bit BI_BITFIELDS",
                4 => "JPEG-compressed",
                5 => "PNG-compressed",
                _ => $"compression method {compression}",
            };
            throw new ImageFormatException(name, $"the BMP is {kind}; MnistMl reads uncompressed BMP (and 32-bit BI_BITFIELDS).");
        }

        var masks = compression == BitFields ? ReadMasks(data, dib, headerSize, name) : null;
        var palette = bitCount <= 8 ? ReadGreyPalette(data, dib, headerSize, bitCount, pixelOffset, name) : null;
        var stride = ((bitCount * width) + 31) / 32 * 4;
        if (pixelOffset < FileHeaderSize + headerSize || pixelOffset + (stride * height) > data.Length)
        {
            throw new ImageFormatException(name, pixelOffset < FileHeaderSize + headerSize
                ? $"the BMP's pixel data starts at byte {pixelOffset}, inside its headers."
                : $"truncated BMP: {width} × {height} pixels at {bitCount} bits need {stride * height:N0} bytes from byte {pixelOffset}, but the file ends after {data.Length:N0}.");
        }

        var image = new GrayImage((int)width, (int)height);
        for (var y = 0; y < height; y++)
        {
            var sourceRow = topDown ? y : (int)height - 1 - y;
            var row = data.Slice((int)(pixelOffset + (sourceRow * stride)), (int)stride);
            var output = image.Pixels.AsSpan(y * (int)width, (int)width);
            for (var x = 0; x < output.Length; x++)
            {
                output[x] = bitCount switch
                {
                    24 => (byte)GreyLevels.Luma(row[(3 * x) + 2], row[(3 * x) + 1], row[3 * x]),
                    32 when masks is null => (byte)GreyLevels.Luma(row[(4 * x) + 2], row[(4 * x) + 1], row[4 * x]),
                    32 => masks.Grey(BinaryPrimitives.ReadUInt32LittleEndian(row[(4 * x)..])),
                    _ => PaletteGrey(palette!, Index(row, x, bitCount), x, y, name),
                };
            }
        }

        return image;
    }

    private static int Index(ReadOnlySpan<byte> row, int x, int bitCount) =>
        (row[x * bitCount / 8] >> (8 - bitCount - (x * bitCount % 8))) & ((1 << bitCount) - 1);

    private static byte PaletteGrey(byte[] palette, int index, int x, int y, string name) =>
        index < palette.Length
            ? palette[index]
            : throw new ImageFormatException(name, $"pixel ({x}, {y}) refers to palette entry {index}, but the palette has {palette.Length}.");

    /// <summary>
    /// The grey level of each palette entry (BGR or BGRX, following the header): as many as the
    /// header declares, else as many as fit before the pixels, at most what the indices reach.
    /// </summary>
    private static byte[] ReadGreyPalette(ReadOnlySpan<byte> data, ReadOnlySpan<byte> dib, int headerSize, int bitCount, uint pixelOffset, string name)
    {
        var core = headerSize == 12;
        var entrySize = core ? 3 : 4;
        var start = FileHeaderSize + headerSize;
        var used = core ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(dib[32..]);
        if (used > 1L << bitCount)
        {
            throw new ImageFormatException(name, $"the BMP declares {used} palette entries, more than {bitCount}-bit indices can reach.");
        }

        var entries = used != 0 ? used : Math.Clamp((pixelOffset - (long)start) / entrySize, 0, 1L << bitCount);
        if (start + (entries * entrySize) > data.Length)
        {
            throw new ImageFormatException(name, $"truncated BMP: its palette of {entries} entries ends past the end of the file ({data.Length} bytes).");
        }

        var greys = new byte[entries];
        for (var i = 0; i < greys.Length; i++)
        {
            var entry = data.Slice(start + (i * entrySize), 3);
            greys[i] = (byte)GreyLevels.Luma(entry[2], entry[1], entry[0]);
        }

        return greys;
    }

    /// <summary>BI_BITFIELDS masks: in the header from 52 bytes on (alpha from 56), else the 12 bytes after a 40-byte header.</summary>
    private static ChannelMasks ReadMasks(ReadOnlySpan<byte> data, ReadOnlySpan<byte> dib, int headerSize, string name)
    {
        var source = headerSize >= 52 ? dib[40..] : data.Slice(FileHeaderSize + headerSize, Math.Min(12, data.Length - FileHeaderSize - headerSize));
        if (source.Length < 12)
        {
            throw new ImageFormatException(name, "truncated BMP: the file ends inside its colour masks.");
        }

        var alpha = headerSize >= 56 ? BinaryPrimitives.ReadUInt32LittleEndian(source[12..]) : 0;
        return new ChannelMasks(
            Channel.Of(BinaryPrimitives.ReadUInt32LittleEndian(source), "red", name),
            Channel.Of(BinaryPrimitives.ReadUInt32LittleEndian(source[4..]), "green", name),
            Channel.Of(BinaryPrimitives.ReadUInt32LittleEndian(source[8..]), "blue", name),
            alpha == 0 ? null : Channel.Of(alpha, "alpha", name));
    }

    private sealed record ChannelMasks(Channel Red, Channel Green, Channel Blue, Channel? Alpha)
    {
        public byte Grey(uint pixel)
        {
            var luma = GreyLevels.Luma(Red.Read(pixel), Green.Read(pixel), Blue.Read(pixel));
            return (byte)(Alpha is { } alpha ? GreyLevels.OverWhite(luma, alpha.Read(pixel), 255) : luma);
        }
    }

    /// <summary>One channel's mask: a run of set bits, read and rescaled to 0–255.</summary>
    private sealed record Channel(uint Mask, int Shift, int Max)
    {
        public static Channel Of(uint mask, string channel, string name)
        {
            var shift = BitOperations.TrailingZeroCount(mask);
            var bits = BitOperations.PopCount(mask);
            if (mask == 0 || bits > 16 || (mask >> shift) != (1u << bits) - 1)
            {
                throw new ImageFormatException(name, $"the BMP's {channel} mask {mask:X8} is not a run of 1 to 16 set bits.");
            }

            return new Channel(mask, shift, (1 << bits) - 1);
        }

        public int Read(uint pixel) => GreyLevels.ToByte((int)((pixel & Mask) >> Shift), Max);
    }
}
