using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML.Data;
using MnistMl.Imaging;

namespace MnistMl;

/// <summary>
/// One MNIST-shaped image for prediction: 28 × 28 grey levels, row-major, 0 = background and
/// 255 = ink (the input row of <see cref="MnistModel.CreatePredictionEngine"/>).
/// </summary>
/// <remarks>
/// Image files (PNG, JPEG, GIF, WebP, BMP, PGM/PBM; see <see cref="ImageDecoder"/>) are read with
/// <see cref="FromFile"/>, <see cref="FromStream"/> and <see cref="FromBytes"/>. With
/// <c>normalize: true</c> (the default) a picture of any size is made MNIST-like by
/// <see cref="DigitNormalizer.Default"/>: inverted if it is dark ink on light paper, cropped to
/// the ink, scaled into 20 × 20 and centred by its centre of mass. An image that is already
/// 28 × 28 is taken as it is — only inverted if it is dark on light — because re-cropping an
/// MNIST-shaped digit would change it; to normalise one anyway, use
/// <c>DigitImage.FromImage(DigitNormalizer.Default.Normalize(image), normalize: false)</c>.
/// With <c>normalize: false</c> the file must be 28 × 28 and its grey levels are used unchanged
/// (so it must already be light ink on black).
/// <code>
/// var model = MnistModel.Load("mnist.zip");
/// DigitPrediction p = model.Predict(DigitImage.FromFile("assets/digits/seven.png"));
/// </code>
/// </remarks>
public sealed class DigitImage
{
    /// <summary>Pixels per side.</summary>
    public const int Size = 28;

    /// <summary>The float grey levels that round onto the 0–255 scale: [−0.5, 255.5).</summary>
    private const float MinGreyLevel = -0.5f;
    private const float MaxGreyLevel = 255.5f;

    /// <summary>The 784 grey levels (the <c>Image</c> column).</summary>
    [VectorType(Size, Size)]
    public byte[] Image { get; set; } = new byte[Size * Size];

    /// <summary>An image from 784 grey levels (0–255), copied.</summary>
    /// <exception cref="ArgumentException">There are not exactly 784 pixels.</exception>
    public static DigitImage FromPixels(ReadOnlySpan<byte> pixels)
    {
        CheckLength(pixels.Length, nameof(pixels));
        return new DigitImage { Image = pixels.ToArray() };
    }

    /// <summary>
    /// An image from 784 grey levels given as floats on the same 0–255 scale, rounded to the
    /// nearest level. A value that is not a number, or is off the scale, is an error rather than
    /// clamped; so are pixels that are all at most 1 with some between 0 and 1, which is what grey
    /// levels scaled to 0–1 look like (the model would see a black image).
    /// </summary>
    /// <exception cref="ArgumentException">There are not exactly 784 pixels, one is not a grey level, or they look scaled to 0–1.</exception>
    public static DigitImage FromPixels(ReadOnlySpan<float> pixels)
    {
        CheckLength(pixels.Length, nameof(pixels));
        var image = new byte[pixels.Length];
        var fractionBelowOne = false;
        for (var i = 0; i < pixels.Length; i++)
        {
            var value = pixels[i];
            if (!(value >= MinGreyLevel && value < MaxGreyLevel))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Pixel {i} is {value}; pixels must be grey levels from 0 to 255."), nameof(pixels));
            }

            fractionBelowOne |= value is > 0 and < 1;
            image[i] = (byte)MathF.Round(value);
        }

        if (fractionBelowOne && TensorPrimitives.Max(pixels) <= 1)
        {
            throw new ArgumentException(
                "Every pixel is at most 1 and some lie between 0 and 1: these look like grey levels scaled to 0–1. Give them on the 0–255 scale (multiply by 255).", nameof(pixels));
        }

        return new DigitImage { Image = image };
    }

    /// <summary>The digit in an image file.</summary>
    /// <param name="path">A PNG, JPEG, GIF, WebP, BMP or PGM/PBM file.</param>
    /// <param name="normalize">Make a picture of any size MNIST-like (see the remarks); false to take a 28 × 28 file as it is.</param>
    /// <exception cref="ImageFormatException">The file is not a readable image, or is not 28 × 28 and <paramref name="normalize"/> is false.</exception>
    /// <exception cref="ImageCodecNotFoundException">The image needs SkiaSharp and its native library cannot be loaded.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="Persistence.FileAccessException">The file cannot be read: permission, not a regular file, a symbolic-link loop.</exception>
    public static DigitImage FromFile(string path, bool normalize = true) => FromImage(ImageDecoder.Decode(path), normalize, path);

    /// <summary>The digit in an image read from <paramref name="stream"/> (to its end; the stream is not closed).</summary>
    /// <param name="stream">The encoded image.</param>
    /// <param name="normalize">Make a picture of any size MNIST-like (see the remarks); false to take a 28 × 28 image as it is.</param>
    /// <exception cref="ImageFormatException">The stream does not hold a readable image, or it is not 28 × 28 and <paramref name="normalize"/> is false.</exception>
    /// <exception cref="ImageCodecNotFoundException">The image needs SkiaSharp and its native library cannot be loaded.</exception>
    public static DigitImage FromStream(Stream stream, bool normalize = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var name = stream is FileStream file ? file.Name : "(stream)";
        return FromImage(ImageDecoder.Decode(stream, name), normalize, name);
    }

    /// <summary>The digit in an encoded image held in memory (an upload, a resource).</summary>
    /// <param name="encoded">The bytes of a PNG, JPEG, BMP or PGM/PBM file.</param>
    /// <param name="normalize">Make a picture of any size MNIST-like (see the remarks); false to take a 28 × 28 image as it is.</param>
    /// <exception cref="ImageFormatException">The bytes are not a readable image, or it is not 28 × 28 and <paramref name="normalize"/> is false.</exception>
    /// <exception cref="ImageCodecNotFoundException">The image needs SkiaSharp and its native library cannot be loaded.</exception>
    public static DigitImage FromBytes(byte[] encoded, bool normalize = true) => FromImage(ImageDecoder.Decode(encoded), normalize, "(bytes)");

    /// <summary>The digit in a decoded image (0 = black, 255 = white, as <see cref="ImageDecoder"/> gives it).</summary>
    /// <param name="image">The picture.</param>
    /// <param name="normalize">Make a picture of any size MNIST-like (see the remarks); false to take a 28 × 28 image as it is.</param>
    /// <exception cref="ImageFormatException">The image is not 28 × 28 and <paramref name="normalize"/> is false, or it holds no ink (one grey level throughout).</exception>
    public static DigitImage FromImage(GrayImage image, bool normalize = true) => FromImage(image, normalize, "the image");

    internal static DigitImage FromImage(GrayImage image, bool normalize, string name, DigitNormalizer? normalizer = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var mnistSized = image.Width == Size && image.Height == Size;
        if (!normalize && !mnistSized)
        {
            throw new ImageFormatException(
                name, $"the image is {image.Width} × {image.Height} pixels; without normalisation it must be {Size} × {Size}, light ink on black, as in MNIST.");
        }

        normalizer ??= DigitNormalizer.Default;
        var pixels = mnistSized ? image.Pixels.ToArray() : normalizer.Normalize(image).Pixels;
        if (normalize && mnistSized && normalizer.Inverts(image))
        {
            for (var i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)(255 - pixels[i]);
            }
        }

        // A blank picture (one grey level throughout, or nothing left once the paper is cleared) has
        // no digit to read; the model would still name one, with confidence.
        if (normalize && (!image.Pixels.AsSpan().ContainsAnyExcept(image.Pixels[0]) || !pixels.AsSpan().ContainsAnyExcept((byte)0)))
        {
            throw new ImageFormatException(name, "the picture holds no ink: it is blank, so there is no digit to read.");
        }

        return new DigitImage { Image = pixels };
    }

    private static void CheckLength(int length, string parameterName)
    {
        if (length != Size * Size)
        {
            throw new ArgumentException($"An MNIST image has {Size * Size} pixels (28 × 28, row-major), not {length}.", parameterName);
        }
    }
}
