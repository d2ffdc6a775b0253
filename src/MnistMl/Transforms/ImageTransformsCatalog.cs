using MnistMl.Transforms;

namespace MnistMl;

/// <summary>Image transforms on <see cref="MnistContext.Transforms"/>: scaling pixels and reshaping images.</summary>
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
}
