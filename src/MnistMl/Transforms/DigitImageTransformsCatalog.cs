using Microsoft.ML;
using Microsoft.ML.Transforms.Image;

namespace MnistMl;

/// <summary>
/// <c>ml.Transforms.LoadDigitImages(...)</c>: image files to the 784 grey levels a digit model reads,
/// with ML.NET's own image transforms (<c>LoadImages</c>, <c>ResizeImages</c>,
/// <c>ConvertToGrayscale</c>, <c>ExtractPixels</c>; SkiaSharp decodes), so the step saves with
/// the pipeline.
/// </summary>
/// <remarks>
/// The pictures are only resized, not made MNIST-like: a digit must already be light ink on a dark
/// ground, filling the picture as MNIST's do. For photos of digits on paper, MnistMl's own
/// normalisation (<see cref="Imaging.DigitNormalizer"/>, used by <see cref="DigitImage.FromFile"/>)
/// inverts, crops and centres them; it is not an ML.NET step and does not travel in ML.NET zips.
/// </remarks>
public static class DigitImageTransformsCatalog
{
    /// <summary>
    /// Reads the image file named in <paramref name="pathColumnName"/> (relative to
    /// <paramref name="imageFolder"/>) into <paramref name="outputColumnName"/>: Byte grey levels of
    /// shape [1, 28, 28].
    /// </summary>
    public static IEstimator<ITransformer> LoadDigitImages(this TransformsCatalog catalog, string outputColumnName, string? imageFolder, string pathColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(pathColumnName);
        var ml = new MLContext();
        var picture = $"{outputColumnName}.Picture";
        return ml.Transforms.LoadImages(picture, imageFolder, pathColumnName)
            .Append(ml.Transforms.ResizeImages(picture, DigitImage.Size, DigitImage.Size, resizing: ImageResizingEstimator.ResizingKind.Fill))
            .Append(ml.Transforms.ConvertToGrayscale(picture))
            .Append(ml.Transforms.ExtractPixels(outputColumnName, picture, ImagePixelExtractingEstimator.ColorBits.Red, outputAsFloatArray: false))
            .Append(ml.Transforms.DropColumns(picture));
    }
}
