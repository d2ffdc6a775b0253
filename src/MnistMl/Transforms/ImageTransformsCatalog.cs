using MnistMl.Imaging;
using MnistMl.Transforms;

namespace MnistMl;

/// <summary>Image transforms on <see cref="MnistContext.Transforms"/>: loading image files, normalising digits, scaling pixels and reshaping images.</summary>
public static class ImageTransformsCatalog
{
    /// <summary>Scales pixels to Single by dividing by 255: grey levels 0–255 become 0–1.</summary>
    /// <param name="catalog">The context's transforms.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The column to read, a fixed-size Byte or Single vector; null for <paramref name="outputColumnName"/>.</param>
    public static PixelScalingEstimator ScalePixels(
        this TransformsCatalog catalog,
        string outputColumnName = PixelScalingEstimator.Options.Defaults.ColumnName,
        string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new PixelScalingEstimator(new PixelScalingEstimator.Options
        {
            InputColumnName = inputColumnName ?? outputColumnName,
            OutputColumnName = outputColumnName,
        });
    }

    /// <summary>Scales pixels to Single as <paramref name="options"/> say: by a divisor, or standardised to mean 0 and standard deviation 1.</summary>
    /// <example>
    /// <code>
    /// var standardise = ml.Transforms.ScalePixels(new PixelScalingEstimator.Options { Standardize = true });
    /// </code>
    /// </example>
    public static PixelScalingEstimator ScalePixels(this TransformsCatalog catalog, PixelScalingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new PixelScalingEstimator(options);
    }

    /// <summary>Gives an image vector the shape <c>[height, width, channels]</c>, keeping its values.</summary>
    /// <param name="catalog">The context's transforms.</param>
    /// <param name="height">Rows of the image.</param>
    /// <param name="width">Columns of the image.</param>
    /// <param name="channels">Values per pixel: 1 for grey levels.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The column to read; null for <paramref name="outputColumnName"/>.</param>
    public static ImageReshapingEstimator Reshape(
        this TransformsCatalog catalog,
        int height,
        int width,
        int channels = ImageReshapingEstimator.Options.Defaults.Channels,
        string outputColumnName = ImageReshapingEstimator.Options.Defaults.ColumnName,
        string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ImageReshapingEstimator(new ImageReshapingEstimator.Options
        {
            Height = height,
            Width = width,
            Channels = channels,
            InputColumnName = inputColumnName ?? outputColumnName,
            OutputColumnName = outputColumnName,
        });
    }

    /// <summary>Gives an image vector the shape <paramref name="options"/> say.</summary>
    public static ImageReshapingEstimator Reshape(this TransformsCatalog catalog, ImageReshapingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ImageReshapingEstimator(options);
    }

    /// <summary>
    /// Decodes the image file each row names (PNG, JPEG, GIF, WebP, BMP or PGM/PBM) into a picture column
    /// (<see cref="Data.ImageDataViewType"/>). Files are read when rows are read.
    /// </summary>
    /// <param name="catalog">The context's transforms.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The column to read: String paths (a <c>string</c> member of a row class).</param>
    /// <param name="imageFolder">The folder relative paths are resolved against; null for the current directory.</param>
    /// <example>
    /// <code>
    /// var files = ml.Data.LoadFromEnumerable(new[] { new ImageFile { ImagePath = "seven.png" } });
    /// var digits = ml.Transforms.LoadImages(imageFolder: "assets/digits").Append(ml.Transforms.NormalizeDigits());
    /// </code>
    /// </example>
    public static ImageLoadingEstimator LoadImages(
        this TransformsCatalog catalog,
        string outputColumnName = ImageLoadingEstimator.Options.Defaults.OutputColumnName,
        string inputColumnName = ImageLoadingEstimator.Options.Defaults.InputColumnName,
        string? imageFolder = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ImageLoadingEstimator(new ImageLoadingEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            ImageFolder = imageFolder,
        });
    }

    /// <summary>
    /// Makes pictures MNIST-like, Byte <c>[28, 28]</c>: inverted if dark on light, cropped to the
    /// ink, scaled into 20 × 20, centred by mass (<see cref="DigitNormalizer"/>); 28 × 28 pictures
    /// are kept, only inverted if dark on light (as the options' polarity decides).
    /// </summary>
    /// <param name="catalog">The context's transforms.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The column to read: pictures, e.g. from <see cref="LoadImages"/>; null for <paramref name="outputColumnName"/>.</param>
    /// <param name="options">How to normalise; the defaults when null.</param>
    public static DigitNormalizingEstimator NormalizeDigits(
        this TransformsCatalog catalog,
        string outputColumnName = DigitNormalizingEstimator.Options.Defaults.ColumnName,
        string? inputColumnName = null,
        DigitNormalizer.Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DigitNormalizingEstimator(new DigitNormalizingEstimator.Options
        {
            InputColumnName = inputColumnName ?? outputColumnName,
            OutputColumnName = outputColumnName,
            Normalizer = options,
        });
    }
}
