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

    /// <summary>Keras's notation with the batch as None: <c>(None, 26, 26, 32)</c>.</summary>
    public static string FormatWithBatch(ReadOnlySpan<int> shape) =>
        "(None, " + string.Join(", ", shape.ToArray()) + ")";

    public static string Format(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + ")";
}
