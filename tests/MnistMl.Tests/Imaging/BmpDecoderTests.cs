using System.Buffers.Binary;
using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

public class BmpDecoderTests
{
    [Fact]
    public void Decode_reads_24_bit_bottom_up_rows_as_luma()
    {
        // Rows are stored last row first; each 3-byte-wide row is padded to 4 bytes.
        var bmp = Bmp(1, 2, 24, [[0, 0, 255], [255, 255, 255]]);

        var image = ImageDecoder.Decode(bmp);

        Assert.Equal((1, 2), (image.Width, image.Height));
        Assert.Equal([255, 76], image.Pixels);  // white on top, then pure red (BGR 0,0,255): 0.299 × 255
    }

    [Fact]
    public void Decode_reads_top_down_rows_when_the_height_is_negative()
    {
        var bmp = Bmp(1, 2, 24, [[0, 0, 255], [255, 255, 255]], topDown: true);

        Assert.Equal([76, 255], ImageDecoder.Decode(bmp).Pixels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public void Decode_reads_indexed_pixels_through_the_palette(int bitCount)
    {
        var palette = new byte[][] { [0, 0, 0, 0], [255, 255, 255, 0] };
        var bits = bitCount switch { 1 => (byte)0b1010_0000, 4 => (byte)0x10, _ => (byte)1 };
        var rows = new byte[][] { bitCount == 8 ? [1, 0, 1] : bitCount == 4 ? [0x10, 0x10] : [bits] };

        var image = ImageDecoder.Decode(Bmp(3, 1, bitCount, rows, palette: palette));

        Assert.Equal([255, 0, 255], image.Pixels);
    }

    [Fact]
    public void Decode_reads_32_bit_pixels_ignoring_the_unused_byte()
    {
        var image = ImageDecoder.Decode(Bmp(2, 1, 32, [[10, 20, 30, 0, 50, 50, 50, 0]]));

        Assert.Equal([GreyOf(30, 20, 10), 50], image.Pixels);
    }

    [Fact]
    public void Decode_reads_32_bit_bitfields_and_lays_alpha_over_white()
    {
        // A 124-byte (V5) header with masks: red 0x00FF0000, green 0x0000FF00, blue 0x000000FF, alpha 0xFF000000.
        var bmp = Bmp(2, 1, 32, [[0, 0, 0, 255, 0, 0, 0, 0]], headerSize: 124, compression: 3);

        Assert.Equal([0, 255], ImageDecoder.Decode(bmp).Pixels);  // opaque black, then transparent black over white
    }

    [Fact]
    public void Decode_rejects_the_12_byte_OS2_core_header_which_SkiaSharp_does_not_read()
    {
        var palette = new byte[][] { [0, 0, 0], [200, 200, 200] };

        AssertRejected(Bmp(2, 1, 8, [[1, 0]], palette: palette, headerSize: 12));
    }

    [Fact]
    public void Decode_reads_16_bit_pixels_as_5_5_5_colour()
    {
        var image = ImageDecoder.Decode(Bmp(2, 1, 16, [[0xFF, 0x7F, 0x00, 0x00]]));

        Assert.Equal([255, 0], image.Pixels);
    }

    [Fact]
    public void Decode_rejects_pixel_data_cut_short()
    {
        var bmp = Bmp(4, 4, 24, [.. Enumerable.Repeat(new byte[12], 4)]);

        AssertRejected(bmp[..^10]);
    }

    [Fact]
    public void Decode_rejects_a_zero_height()
    {
        AssertRejected(Bmp(1, 0, 24, []));
    }

    [Fact]
    public void Decode_rejects_a_width_above_the_cap_before_allocating()
    {
        var bmp = Bmp(1, 1, 24, [[0, 0, 0]]);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), 1 << 30);

        AssertRejected(bmp);
    }

    [Fact]
    public void Decode_tolerates_or_rejects_a_palette_index_past_the_palette()
    {
        AssertToleratedOrRejected(Bmp(2, 1, 8, [[0, 2]], palette: [[0, 0, 0, 0], [9, 9, 9, 0]]));
    }

    [Fact]
    public void Decode_rejects_an_unknown_header_size()
    {
        var bmp = Bmp(1, 1, 24, [[0, 0, 0]]);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 64);

        AssertRejected(bmp);
    }

    [Fact]
    public void Decode_rejects_a_file_that_ends_inside_its_header()
    {
        AssertRejected(Bmp(1, 1, 24, [[0, 0, 0]])[..30]);
    }

    [Fact]
    public void Decode_tolerates_or_rejects_more_than_one_colour_plane()
    {
        var bmp = Bmp(1, 1, 24, [[0, 0, 0]]);
        bmp[26] = 2;

        AssertToleratedOrRejected(bmp);
    }

    private static byte GreyOf(int r, int g, int b) => (byte)Math.Round((0.299 * r) + (0.587 * g) + (0.114 * b));

    /// <summary>A damaged file is an <see cref="ImageFormatException"/> naming it (the reason is SkiaSharp's, in its words).</summary>
    private static void AssertRejected(byte[] bmp)
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(bmp, "test.bmp"));
        Assert.Equal("test.bmp", error.ImageName);
    }

    /// <summary>A fault SkiaSharp forgives decodes to some image, or fails with an <see cref="ImageFormatException"/>; it never crashes or hangs.</summary>
    private static void AssertToleratedOrRejected(byte[] bmp)
    {
        var error = Record.Exception(() => ImageDecoder.Decode(bmp, "test.bmp"));
        Assert.True(error is null or ImageFormatException, $"{error?.GetType().Name}: {error?.Message}");
    }

    /// <summary>A BMP: file header, a DIB header of <paramref name="headerSize"/> bytes, the palette, then the rows as given (top row of the picture last unless top-down), each padded to 4 bytes.</summary>
    private static byte[] Bmp(int width, int height, int bitCount, byte[][] rows, byte[][]? palette = null, int headerSize = 40, uint compression = 0, bool topDown = false)
    {
        var core = headerSize == 12;
        var paletteBytes = (palette ?? []).SelectMany(e => e).ToArray();
        var stride = ((bitCount * width) + 31) / 32 * 4;
        var pixelOffset = 14 + headerSize + paletteBytes.Length;
        var file = new byte[pixelOffset + (stride * rows.Length)];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), pixelOffset);
        var dib = file.AsSpan(14, headerSize);
        BinaryPrimitives.WriteInt32LittleEndian(dib, headerSize);
        if (core)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(dib[4..], (ushort)width);
            BinaryPrimitives.WriteUInt16LittleEndian(dib[6..], (ushort)height);
            BinaryPrimitives.WriteUInt16LittleEndian(dib[8..], 1);
            BinaryPrimitives.WriteUInt16LittleEndian(dib[10..], (ushort)bitCount);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(dib[4..], width);
            BinaryPrimitives.WriteInt32LittleEndian(dib[8..], topDown ? -height : height);
            BinaryPrimitives.WriteUInt16LittleEndian(dib[12..], 1);
            BinaryPrimitives.WriteUInt16LittleEndian(dib[14..], (ushort)bitCount);
            BinaryPrimitives.WriteUInt32LittleEndian(dib[16..], compression);
            BinaryPrimitives.WriteInt32LittleEndian(dib[32..], palette?.Length ?? 0);
            if (headerSize >= 56)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(dib[40..], 0x00FF0000);
                BinaryPrimitives.WriteUInt32LittleEndian(dib[44..], 0x0000FF00);
                BinaryPrimitives.WriteUInt32LittleEndian(dib[48..], 0x000000FF);
                BinaryPrimitives.WriteUInt32LittleEndian(dib[52..], 0xFF000000);
            }
        }

        paletteBytes.CopyTo(file, 14 + headerSize);
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r].CopyTo(file, pixelOffset + (r * stride));
        }

        return file;
    }
}
