using MnistMl.Data;

namespace MnistMl;

/// <summary>
/// One MNIST-shaped image for prediction: 28 × 28 grey levels, row-major, 0 = background and
/// 255 = ink (the input row of <see cref="MnistModel.CreatePredictionEngine"/>).
/// </summary>
public sealed class DigitImage
{
    /// <summary>Pixels per side.</summary>
    public const int Size = 28;

    /// <summary>The 784 grey levels (the <c>Image</c> column).</summary>
    [VectorShape(Size, Size)]
    public byte[] Image { get; set; } = new byte[Size * Size];

    /// <summary>An image from 784 grey levels (0–255), copied.</summary>
    /// <exception cref="ArgumentException">There are not exactly 784 pixels.</exception>
    public static DigitImage FromPixels(ReadOnlySpan<byte> pixels)
    {
        CheckLength(pixels.Length, nameof(pixels));
        return new DigitImage { Image = pixels.ToArray() };
    }

    /// <summary>
    /// An image from 784 grey levels given as floats on the same 0–255 scale, rounded and clamped.
    /// NaN or infinite values are an error.
    /// </summary>
    /// <exception cref="ArgumentException">There are not exactly 784 pixels, or one is not a finite number.</exception>
    public static DigitImage FromPixels(ReadOnlySpan<float> pixels)
    {
        CheckLength(pixels.Length, nameof(pixels));
        var image = new byte[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            if (!float.IsFinite(pixels[i]))
            {
                throw new ArgumentException($"Pixel {i} is {pixels[i]}; pixels must be finite grey levels from 0 to 255.", nameof(pixels));
            }

            image[i] = (byte)Math.Clamp(MathF.Round(pixels[i]), 0, 255);
        }

        return new DigitImage { Image = image };
    }

    private static void CheckLength(int length, string parameterName)
    {
        if (length != Size * Size)
        {
            throw new ArgumentException($"An MNIST image has {Size * Size} pixels (28 × 28, row-major), not {length}.", parameterName);
        }
    }
}
