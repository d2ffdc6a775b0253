using System.Buffers.Binary;
using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

/// <summary>JPEG goes through the system's libjpeg-turbo; these tests need it installed (apt-get install libturbojpeg0) and fail loudly without it.</summary>
public class JpegDecoderTests
{
    [Fact]
    public void Decode_reads_a_greyscale_jpeg_close_to_the_original()
    {
        var original = Gradient(40, 30);

        var image = ImageDecoder.Decode(TestJpeg.Encode(original, quality: 95));

        Assert.Equal((40, 30), (image.Width, image.Height));
        var meanError = original.Pixels.Zip(image.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanError < 2, $"mean absolute error {meanError:F2}");
    }

    [Fact]
    public void Decode_rejects_a_jpeg_cut_short()
    {
        var jpeg = TestJpeg.Encode(Gradient(64, 64), quality: 90);

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg[..(jpeg.Length / 2)], "cut.jpg"));

        Assert.StartsWith("libjpeg-turbo cannot decode its image data: ", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_rejects_a_jpeg_with_a_corrupt_header()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x02, 0xFF, 0xC0, 0x00, 0x03, 0x01];

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg, "bad.jpg"));

        Assert.StartsWith("libjpeg-turbo cannot decode its header: ", error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("bad.jpg: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_rejects_a_jpeg_size_above_the_cap_before_allocating()
    {
        var jpeg = TestJpeg.Encode(Gradient(8, 8), quality: 90);
        var frame = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(frame + 5), 20000);   // the frame header's height, then width
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(frame + 7), 20000);

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg, "huge.jpg"));

        Assert.Contains("a size of 20000 × 20000 pixels; MnistMl decodes at most 16384 per side", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_without_libjpeg_turbo_names_the_package_to_install()
    {
        var jpeg = TestJpeg.Encode(Gradient(8, 8), quality: 90);
        var missing = TurboJpeg.TryLoad("libturbojpeg-that-is-not-installed.so.0");

        var error = Assert.Throws<ImageCodecNotFoundException>(() => JpegDecoder.Decode(jpeg, "photo.jpg", missing));

        Assert.Null(missing);
        Assert.Equal("libturbojpeg0", error.PackageName);
        Assert.Equal(
            "photo.jpg: decoding JPEG needs the system library libturbojpeg.so.0, which was not found; install it (Debian/Ubuntu: apt-get install libturbojpeg0), or convert the image to PNG.",
            error.Message);
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
