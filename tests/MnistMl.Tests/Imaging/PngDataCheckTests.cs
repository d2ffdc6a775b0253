using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

/// <summary>
/// A PNG that SkiaSharp cannot decode gets the real reason (issue 14 #12: corrupt image data was
/// reported as a truncated file, or as an "unsupported compression method").
/// </summary>
public sealed class PngDataCheckTests
{
    private const int Side = 28;

    [Fact]
    public void Corrupt_compressed_data_is_called_damaged_not_short()
    {
        var data = Deflated();
        data[5] ^= 0xFF;
        data[6] ^= 0x55;

        Assert.Equal("SkiaSharp cannot decode the PNG image data (its compressed image data is corrupt: the bytes are damaged).", Reason(Png(data)));
    }

    [Fact]
    public void Image_data_that_stops_early_says_how_much_there_is()
    {
        var data = Deflated()[..^30];

        Assert.Matches(@"^SkiaSharp cannot decode the PNG image data \(its image data ends early: \d+ of 812 bytes\)\.$", Reason(Png(data)));
    }

    [Fact]
    public void A_chunk_whose_bytes_fail_their_CRC_is_named()
    {
        var png = Png(Deflated());
        png[png.Length - 12 - 5] ^= 1; // inside the IDAT data, its CRC left as it was

        Assert.Equal("SkiaSharp cannot decode the PNG image data (its 'IDAT' chunk fails its CRC check: the bytes are damaged).", Reason(png));
    }

    [Theory]
    [InlineData(uint.MaxValue, 28u)]
    [InlineData(28u, 0x8000_0000u)]
    public void A_side_past_the_PNG_limit_is_named_without_overflowing(uint width, uint height)
    {
        var png = Png(Deflated(), width, height);

        Assert.Equal($"its header declares {width:N0} × {height:N0} pixels, past the PNG limit of 2,147,483,647 a side", PngDataCheck.WhyUndecodable(png));
    }

    [Fact]
    public void The_largest_legal_sides_at_the_deepest_colour_claim_no_wrapped_length()
    {
        // 2³¹ − 1 rows of 16-bit RGBA pass a long: no expectation, rather than a wrapped one.
        var png = Png(Deflated(), int.MaxValue, int.MaxValue, bitDepth: 16, colourType: 6);

        Assert.Null(PngDataCheck.WhyUndecodable(png));
    }

    private static string Reason(byte[] png) => Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png, "digit.png")).Reason;

    /// <summary>The zlib stream of a 28 × 28 grey gradient, each row led by filter byte 0.</summary>
    private static byte[] Deflated()
    {
        var raw = Enumerable.Range(0, Side).SelectMany(_ => Enumerable.Range(0, Side + 1).Select(x => (byte)(x == 0 ? 0 : x * 9))).ToArray();
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>An 8-bit grey PNG: signature, IHDR, one IDAT holding <paramref name="imageData"/>, IEND; every CRC right.</summary>
    private static byte[] Png(byte[] imageData, uint width = Side, uint height = Side, byte bitDepth = 8, byte colourType = 0)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colourType;
        return [0x89, .. "PNG\r\n\x1a\n"u8, .. Chunk("IHDR", header), .. Chunk("IDAT", imageData), .. Chunk("IEND", [])];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        typed.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(typed));
        return chunk;
    }
}
