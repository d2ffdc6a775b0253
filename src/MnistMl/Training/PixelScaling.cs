using System.Numerics.Tensors;

namespace MnistMl.Training;

/// <summary>Grey levels to floats, the one conversion every batch of images goes through.</summary>
internal static class PixelScaling
{
    /// <summary><c>destination[i] = source[i] / 255</c>.</summary>
    public static void ToUnitRange(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }

        // Divide, not multiply by 1/255: the same float32 values as the notebooks' x / 255.
        TensorPrimitives.Divide(destination[..source.Length], 255f, destination[..source.Length]);
    }
}
