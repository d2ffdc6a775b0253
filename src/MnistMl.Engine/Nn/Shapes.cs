namespace MnistMl.Nn;

/// <summary>Small helpers for per-sample shapes (batch dimension excluded).</summary>
internal static class Shapes
{
    public static int Product(ReadOnlySpan<int> shape)
    {
        long product = 1;
        foreach (var d in shape)
        {
            if (d <= 0)
            {
                throw new ArgumentException($"Shape {Format(shape)} has a dimension that is not positive.");
            }

            product *= d;
            if (product > int.MaxValue)
            {
                throw new ArgumentException($"Shape {Format(shape)} has more than {int.MaxValue} elements.");
            }
        }

        return (int)product;
    }

    /// <summary>
    /// The number of elements, or <see cref="long.MaxValue"/> when that does not fit a long: for
    /// sizes read from files, checked before anything is allocated.
    /// </summary>
    public static long SaturatingProduct(ReadOnlySpan<int> shape)
    {
        long product = 1;
        foreach (var d in shape)
        {
            if (d <= 0)
            {
                throw new ArgumentException($"Shape {Format(shape)} has a dimension that is not positive.");
            }

            product = product > long.MaxValue / d ? long.MaxValue : product * d;
        }

        return product;
    }

    /// <summary>Keras's notation with the batch as None: <c>(None, 26, 26, 32)</c>.</summary>
    public static string FormatWithBatch(ReadOnlySpan<int> shape) =>
        "(None, " + string.Join(", ", shape.ToArray()) + ")";

    public static string Format(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + ")";
}
