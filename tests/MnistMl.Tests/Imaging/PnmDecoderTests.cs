using System.Text;
using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

public class PnmDecoderTests
{
    [Fact]
    public void Decode_reads_plain_pbm_with_1_as_black()
    {
        var image = ImageDecoder.Decode(Ascii("P1\n# a comment\n3 2\n1 0 1\n010"));

        Assert.Equal((3, 2), (image.Width, image.Height));
        Assert.Equal([0, 255, 0, 255, 0, 255], image.Pixels);
    }

    [Fact]
    public void Decode_reads_raw_pbm_with_rows_padded_to_bytes()
    {
        byte[] pbm = [.. Ascii("P4 10 2\n"), 0b1000_0000, 0b0100_0000, 0b0000_0000, 0b1100_0000];

        var image = ImageDecoder.Decode(pbm);

        Assert.Equal([0, 255, 255, 255, 255, 255, 255, 255, 255, 0], image.Pixels[..10]);
        Assert.Equal([255, 255, 255, 255, 255, 255, 255, 255, 0, 0], image.Pixels[10..]);
    }

    [Fact]
    public void Decode_reads_plain_pgm_scaled_by_maxval()
    {
        var image = ImageDecoder.Decode(Ascii("P2 # width next\n2 2 # maxval next\n100\n0 50\n100 25\n"));

        Assert.Equal([0, 128, 255, 64], image.Pixels);
    }

    [Fact]
    public void Decode_reads_raw_8_bit_pgm()
    {
        byte[] pgm = [.. Ascii("P5\n3 1\n255\n"), 0, 128, 255];

        Assert.Equal([0, 128, 255], ImageDecoder.Decode(pgm).Pixels);
    }

    [Fact]
    public void Decode_reads_raw_16_bit_pgm_big_endian()
    {
        byte[] pgm = [.. Ascii("P5 2 1 65535 "), 0xFF, 0xFF, 0x80, 0x00];

        Assert.Equal([255, 128], ImageDecoder.Decode(pgm).Pixels);
    }

    [Fact]
    public void Decode_rejects_a_raw_sample_above_maxval()
    {
        byte[] pgm = [.. Ascii("P5 2 1 100\n"), 100, 101];

        AssertRejected(pgm, "sample 1 is 101, above the header's maxval 100");
    }

    [Fact]
    public void Decode_rejects_a_plain_sample_above_maxval()
    {
        AssertRejected(Ascii("P2 2 1 15 3 16"), "the sample at byte 12 is larger than 15");
    }

    [Fact]
    public void Decode_rejects_a_raw_raster_cut_short()
    {
        byte[] pgm = [.. Ascii("P5 4 4 255\n"), .. new byte[15]];

        AssertRejected(pgm, "truncated image: 4 × 4 samples of 1 byte(s) need 16 bytes from byte 11, but the file ends after 26");
    }

    [Fact]
    public void Decode_rejects_a_plain_raster_cut_short()
    {
        AssertRejected(Ascii("P1 3 3 1 0 1 0 1 0 1 0 "), "truncated image: the file ends after 23 bytes, at pixel 8");
    }

    [Fact]
    public void Decode_rejects_a_plain_size_the_file_is_too_short_for_before_allocating()
    {
        AssertRejected(Ascii("P2 8000 8000 255 0 0 0"), "8000 × 8000 plain samples need at least 127,999,999 more bytes");
    }

    [Fact]
    public void Decode_rejects_maxval_0()
    {
        AssertRejected(Ascii("P2 1 1 0 0"), "maxval 0");
    }

    [Fact]
    public void Decode_rejects_maxval_above_65535()
    {
        AssertRejected(Ascii("P5 1 1 65536 \0\0"), "the maxval at byte 7 is larger than 65,535");
    }

    [Fact]
    public void Decode_rejects_colour_ppm()
    {
        AssertRejected(Ascii("P6 1 1 255 abc"), "the image is a colour PPM (P6)");
    }

    [Fact]
    public void Decode_rejects_a_header_token_that_is_not_a_number()
    {
        AssertRejected(Ascii("P5 12x 3 255 "), "the width at byte 3 is followed by 0x78, not whitespace");
    }

    [Fact]
    public void Decode_rejects_a_header_that_ends_early()
    {
        AssertRejected(Ascii("P5 12 "), "the file ends after 6 bytes, where the height should be");
    }

    [Fact]
    public void Decode_rejects_a_zero_width()
    {
        AssertRejected(Ascii("P5 0 3 255 "), "a size of 0 × 3 pixels");
    }

    [Fact]
    public void Decode_rejects_a_plain_bitmap_character_other_than_0_or_1()
    {
        AssertRejected(Ascii("P1 2 1 1 2"), "byte 9 should be the 0 or 1 of pixel 1, but is 0x32");
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static void AssertRejected(byte[] pnm, string reason)
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(pnm, "test.pgm"));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }
}
