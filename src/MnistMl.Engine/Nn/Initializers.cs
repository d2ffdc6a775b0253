using System.Numerics;

namespace MnistMl.Nn;

/// <summary>Keras's default weight initialisation.</summary>
internal static class Initializers
{
    /// <summary>
    /// Glorot (Xavier) uniform: U(−l, l) with <c>l = √(6 / (fanIn + fanOut))</c>, drawn in index order.
    /// </summary>
    public static void GlorotUniform<T>(Span<T> weights, int fanIn, int fanOut, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (var i = 0; i < weights.Length; i++)
        {
            // Drawn as float so float32 and float64 models built from one seed start from the same weights.
            var u = (float)(((2.0 * random.NextSingle()) - 1.0) * limit);
            weights[i] = T.CreateChecked(u);
        }
    }
}
