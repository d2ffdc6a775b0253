namespace MnistMl.Imaging;

/// <summary>
/// Resizes by area averaging (a box filter with fractional coverage): each output pixel is the
/// mean of the input area it covers, so shrinking anti-aliases the way MNIST's size normalisation
/// did, and enlarging blends the one or two input pixels an output pixel straddles. Separable:
/// rows first, then columns, each with precomputed weights.
/// </summary>
internal static class AreaResampler
{
    /// <summary>
    /// Resizes the <paramref name="width"/> × <paramref name="height"/> region of grey levels that
    /// starts at <paramref name="source"/>[0], whose rows are <paramref name="stride"/> apart, to
    /// <paramref name="newWidth"/> × <paramref name="newHeight"/> (row-major, unrounded).
    /// </summary>
    public static float[] Resize(ReadOnlySpan<byte> source, int stride, int width, int height, int newWidth, int newHeight)
    {
        var columnWeights = Weights(width, newWidth);
        var rowWeights = Weights(height, newHeight);
        var narrowed = new float[height * newWidth];
        for (var y = 0; y < height; y++)
        {
            var row = source.Slice(y * stride, width);
            for (var x = 0; x < newWidth; x++)
            {
                var sum = 0f;
                foreach (var (index, weight) in columnWeights[x])
                {
                    sum += row[index] * weight;
                }

                narrowed[(y * newWidth) + x] = sum;
            }
        }

        var result = new float[newHeight * newWidth];
        for (var y = 0; y < newHeight; y++)
        {
            var output = result.AsSpan(y * newWidth, newWidth);
            foreach (var (index, weight) in rowWeights[y])
            {
                var input = narrowed.AsSpan(index * newWidth, newWidth);
                for (var x = 0; x < newWidth; x++)
                {
                    output[x] += input[x] * weight;
                }
            }
        }

        return result;
    }

    /// <summary>For each output index, the input indices its interval [o·s, (o+1)·s) overlaps (s = size / newSize) and the share of the interval each covers.</summary>
    private static (int Index, float Weight)[][] Weights(int size, int newSize)
    {
        var scale = (double)size / newSize;
        var weights = new (int, float)[newSize][];
        for (var o = 0; o < newSize; o++)
        {
            var start = o * scale;
            var end = (o + 1) * scale;
            var list = new List<(int, float)>();
            for (var i = (int)Math.Floor(start); i < Math.Min(size, (int)Math.Ceiling(end)); i++)
            {
                var overlap = Math.Min(end, i + 1) - Math.Max(start, i);
                if (overlap > 0)
                {
                    list.Add((i, (float)(overlap / scale)));
                }
            }

            weights[o] = [.. list];
        }

        return weights;
    }
}
