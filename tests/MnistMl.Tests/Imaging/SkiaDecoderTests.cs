using System.Buffers.Binary;
using MnistMl.Imaging;
using SkiaSharp;

namespace MnistMl.Tests.Imaging;

/// <summary>JPEG, GIF and WebP go through SkiaSharp, whose native library comes in its NuGet package.</summary>
public class SkiaDecoderTests
{
    [Fact]
    public void Decode_reads_a_greyscale_jpeg_close_to_the_original()
    {
        var original = Gradient(40, 30);

        var image = ImageDecoder.Decode(SkiaTestEncoder.Encode(original, quality: 95));

        Assert.Equal((40, 30), (image.Width, image.Height));
        var meanError = original.Pixels.Zip(image.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanError < 2, $"mean absolute error {meanError:F2}");
    }

    [Fact]
    public void Decode_turns_a_colour_jpeg_into_bt601_grey()
    {
        var rgba = new byte[16 * 16 * 4];
        for (var i = 0; i < 16 * 16; i++)
        {
            (rgba[4 * i], rgba[(4 * i) + 1], rgba[(4 * i) + 2], rgba[(4 * i) + 3]) = i < 128 ? ((byte)200, (byte)40, (byte)40, (byte)255) : ((byte)30, (byte)160, (byte)220, (byte)255);
        }

        var image = ImageDecoder.Decode(SkiaTestEncoder.EncodeRgba(16, 16, rgba, SKEncodedImageFormat.Jpeg, quality: 100));

        Assert.InRange(image[8, 2], 88 - 4, 88 + 4);     // 0.299·200 + 0.587·40 + 0.114·40
        Assert.InRange(image[8, 13], 128 - 4, 128 + 4);  // 0.299·30 + 0.587·160 + 0.114·220
    }

    [Fact]
    public void Decode_reads_a_lossless_webp_exactly_with_transparency_over_white()
    {
        var rgba = new byte[3 * 2 * 4];
        byte[][] colours = [[0, 0, 0, 255], [255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255], [0, 0, 0, 0], [0, 0, 0, 128]];
        for (var i = 0; i < colours.Length; i++)
        {
            colours[i].CopyTo(rgba, 4 * i);
        }

        var image = ImageDecoder.Decode(SkiaTestEncoder.EncodeRgba(3, 2, rgba, SKEncodedImageFormat.Webp, quality: 100), "dots.webp");

        Assert.Equal(new byte[] { 0, 76, 150, 29, 255, 127 }, image.Pixels);
    }

    [Theory]
    [InlineData(1, new byte[] { 1, 2, 3, 4, 5, 6 }, 3)]      // as stored: 3 wide, 2 high
    [InlineData(2, new byte[] { 3, 2, 1, 6, 5, 4 }, 3)]      // mirrored
    [InlineData(3, new byte[] { 6, 5, 4, 3, 2, 1 }, 3)]      // upside down
    [InlineData(4, new byte[] { 4, 5, 6, 1, 2, 3 }, 3)]      // flipped
    [InlineData(5, new byte[] { 1, 4, 2, 5, 3, 6 }, 2)]      // transposed
    [InlineData(6, new byte[] { 4, 1, 5, 2, 6, 3 }, 2)]      // a phone held upright: turned a quarter clockwise
    [InlineData(7, new byte[] { 6, 3, 5, 2, 4, 1 }, 2)]      // transversed
    [InlineData(8, new byte[] { 3, 6, 2, 5, 1, 4 }, 2)]      // turned a quarter anticlockwise
    public void Decode_applies_the_exif_orientation(int orientation, byte[] expectedOrder, int expectedWidth)
    {
        // Six 8×8 blocks of distinct grey levels, so JPEG's blocks keep each one flat.
        var stored = new GrayImage(24, 16);
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 24; x++)
            {
                stored[x, y] = (byte)(40 * ((y / 8 * 3) + (x / 8) + 1));
            }
        }

        var image = ImageDecoder.Decode(WithOrientation(SkiaTestEncoder.Encode(stored, quality: 100), orientation));

        Assert.Equal((expectedWidth * 8, 48 / expectedWidth), (image.Width, image.Height));
        var blocks = new List<byte>();
        for (var by = 0; by < image.Height / 8; by++)
        {
            for (var bx = 0; bx < image.Width / 8; bx++)
            {
                blocks.Add((byte)Math.Round(image[(bx * 8) + 4, (by * 8) + 4] / 40.0));
            }
        }

        Assert.Equal(expectedOrder, blocks);
    }

    [Fact]
    public void Decode_rejects_a_jpeg_cut_short()
    {
        var jpeg = SkiaTestEncoder.Encode(Gradient(64, 64), quality: 90);

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg[..(jpeg.Length / 2)], "cut.jpg"));

        Assert.Equal("SkiaSharp cannot decode the JPEG image data (the data ends early).", error.Reason);
    }

    [Fact]
    public void Decode_rejects_a_jpeg_with_a_corrupt_header()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x02, 0xFF, 0xC0, 0x00, 0x03, 0x01];

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg, "bad.jpg"));

        Assert.StartsWith("SkiaSharp cannot read the JPEG header (", error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("bad.jpg: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_rejects_a_gif_with_nothing_after_its_signature()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode("GIF89a"u8.ToArray(), "empty.gif"));

        Assert.StartsWith("SkiaSharp cannot read the GIF header (", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_rejects_a_jpeg_size_above_the_cap_before_allocating()
    {
        var jpeg = SkiaTestEncoder.Encode(Gradient(8, 8), quality: 90);
        var frame = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(frame + 5), 20000);   // the frame header's height, then width
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(frame + 7), 20000);

        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(jpeg, "huge.jpg"));

        Assert.Contains("a size of 20000 × 20000 pixels; MnistMl decodes at most 16384 per side", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_codec_library_that_does_not_load_names_the_package_that_ships_it()
    {
        var error = SkiaDecoder.MissingLibrary("photo.jpg", "JPEG", new DllNotFoundException("libSkiaSharp"));

        Assert.Equal("SkiaSharp.NativeAssets.Linux.NoDependencies", error.PackageName);
        Assert.Equal(
            "photo.jpg: decoding JPEG needs the native library libSkiaSharp, which could not be loaded; reference the NuGet package SkiaSharp.NativeAssets.Linux.NoDependencies (or SkiaSharp's package for your platform), or convert the image to PNG.",
            error.Message);
    }

    /// <summary>Inserts an EXIF segment holding only an orientation tag right after the JPEG's start marker.</summary>
    private static byte[] WithOrientation(byte[] jpeg, int orientation)
    {
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,   // big-endian TIFF header, first IFD at 8
            0x00, 0x01,                                                 // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, (byte)orientation, 0x00, 0x00,   // Orientation, SHORT, 1 value
            0x00, 0x00, 0x00, 0x00,                                     // no next IFD
        ];
        return [.. jpeg[..2], .. exif, .. jpeg[2..]];
    }

    private static GrayImage Gradient(int width, int height)
    {
        var image = new GrayImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = (byte)((x * 255 / (width - 1) / 2) + (y * 255 / (height - 1) / 2));
            }
        }

        return image;
    }
}
