using MnistMl.Imaging;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Imaging;

public sealed class DigitImageFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void FromFile_normalizes_a_picture_of_any_size()
    {
        var page = DigitNormalizerTests.Canvas(120, 90, paper: 250);
        DigitNormalizerTests.FillRectangle(page, 50, 20, 15, 50, ink: 5);
        var path = _folder.Write("bar.png", PngEncoder.Encode(page));

        var digit = DigitImage.FromFile(path);

        Assert.Equal(DigitNormalizer.Default.Normalize(page).Pixels, digit.Image);
    }

    [Theory]
    [InlineData(120, 90, 255)]
    [InlineData(28, 28, 255)]
    [InlineData(28, 28, 0)]
    public void FromFile_says_a_blank_picture_has_no_digit_rather_than_name_one(int width, int height, int grey)
    {
        var path = _folder.Write("blank.png", PngEncoder.Encode(DigitNormalizerTests.Canvas(width, height, paper: (byte)grey)));

        var error = Assert.Throws<ImageFormatException>(() => DigitImage.FromFile(path));

        Assert.Equal($"{path}: the picture holds no ink: it is blank, so there is no digit to read.", error.Message);
    }

    [Fact]
    public void FromFile_without_normalisation_takes_even_a_blank_28_by_28_image_as_it_is()
    {
        var path = _folder.Write("blank.png", PngEncoder.Encode(DigitNormalizerTests.Canvas(28, 28, paper: 0)));

        Assert.Equal(new byte[784], DigitImage.FromFile(path, normalize: false).Image);
    }

    [Fact]
    public void FromFile_takes_a_28_by_28_light_on_dark_image_as_it_is()
    {
        var mnist = MnistTestData.Test.GetImage(0).ToArray();
        var path = _folder.Write("mnist.png", PngEncoder.Encode(new GrayImage(28, 28, mnist.ToArray())));

        Assert.Equal(mnist, DigitImage.FromFile(path).Image);
        Assert.Equal(mnist, DigitImage.FromFile(path, normalize: false).Image);
    }

    [Fact]
    public void FromFile_only_inverts_a_28_by_28_dark_on_light_image()
    {
        var mnist = MnistTestData.Test.GetImage(1).ToArray();
        var inverted = mnist.Select(p => (byte)(255 - p)).ToArray();
        var path = _folder.Write("drawn.png", PngEncoder.Encode(new GrayImage(28, 28, inverted)));

        Assert.Equal(mnist, DigitImage.FromFile(path).Image);
    }

    [Fact]
    public void FromFile_without_normalizing_keeps_a_28_by_28_image_unchanged_even_dark_on_light()
    {
        var inverted = MnistTestData.Test.GetImage(1).ToArray().Select(p => (byte)(255 - p)).ToArray();
        var path = _folder.Write("drawn.png", PngEncoder.Encode(new GrayImage(28, 28, inverted.ToArray())));

        Assert.Equal(inverted, DigitImage.FromFile(path, normalize: false).Image);
    }

    [Fact]
    public void FromFile_without_normalizing_rejects_an_image_that_is_not_28_by_28()
    {
        var path = _folder.Write("big.png", PngEncoder.Encode(new GrayImage(30, 28)));

        var error = Assert.Throws<ImageFormatException>(() => DigitImage.FromFile(path, normalize: false));

        Assert.Equal($"{path}: the image is 30 × 28 pixels; without normalisation it must be 28 × 28, light ink on black, as in MNIST.", error.Message);
    }

    [Fact]
    public void FromFile_of_a_missing_file_throws_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => DigitImage.FromFile(Path.Combine(_folder.Path, "none.png")));
    }

    [Fact]
    public void FromStream_and_FromBytes_read_the_same_digit_as_FromFile()
    {
        var page = DigitNormalizerTests.Canvas(64, 64, paper: 0);
        DigitNormalizerTests.FillRectangle(page, 20, 10, 10, 40, ink: 200);
        var png = PngEncoder.Encode(page);
        var path = _folder.Write("bar.png", png);
        using var stream = new ForwardOnlyStream(png);

        var expected = DigitImage.FromFile(path).Image;

        Assert.Equal(expected, DigitImage.FromStream(stream).Image);
        Assert.Equal(expected, DigitImage.FromBytes(png).Image);
    }

    [Fact]
    public void FromBytes_names_the_bytes_in_its_errors()
    {
        var error = Assert.Throws<ImageFormatException>(() => DigitImage.FromBytes([1, 2, 3, 4]));

        Assert.Equal("(bytes): not a PNG, JPEG, GIF, WebP, BMP or PGM/PBM image: it starts with the bytes 01020304.", error.Message);
    }
}
