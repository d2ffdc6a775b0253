using System.Numerics;

namespace MnistMl.Nn;

/// <summary>Shared arithmetic of the two cross-entropies: probabilities or logits, one row at a time.</summary>
internal static class CrossentropyMath
{
    /// <summary>Keras's clip for log of probabilities.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>
    /// Loss of one row against target weights <c>y</c> (a one-hot vector, or a single 1 at
    /// <paramref name="classIndex"/> when <paramref name="target"/> is empty), and its gradient scaled by <paramref name="scale"/>.
    /// </summary>
    public static double Row<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int classIndex, bool fromLogits, bool fusedSoftmax, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = output.Length;

        if (fromLogits)
        {
            // log softmax = z − max − log Σ exp(z − max): no overflow, no log(0).
            var max = output[0];
            for (var j = 1; j < width; j++)
            {
                max = T.MaxNumber(max, output[j]);
            }

            var sum = T.Zero;
            for (var j = 0; j < width; j++)
            {
                sum += T.Exp(output[j] - max);
            }

            var logSum = T.Log(sum);
            var loss = T.Zero;
            var ySum = T.Zero;
            for (var j = 0; j < width; j++)
            {
                loss -= TargetAt(target, classIndex, j) * (output[j] - max - logSum);
                ySum += TargetAt(target, classIndex, j);
            }

            if (!gradient.IsEmpty)
            {
                for (var j = 0; j < width; j++)
                {
                    gradient[j] = ((T.Exp(output[j] - max) / sum * ySum) - TargetAt(target, classIndex, j)) * scale;
                }
            }

            return double.CreateChecked(loss);
        }

        var lo = T.CreateChecked(Epsilon);
        var hi = T.One - lo;
        var total = T.Zero;
        var targetSum = T.Zero;
        for (var j = 0; j < width; j++)
        {
            var y = TargetAt(target, classIndex, j);
            targetSum += y;
            if (y != T.Zero)
            {
                total -= y * T.Log(T.Clamp(output[j], lo, hi));
            }
        }

        if (!gradient.IsEmpty)
        {
            for (var j = 0; j < width; j++)
            {
                var p = output[j];
                if (fusedSoftmax)
                {
                    gradient[j] = ((p * targetSum) - TargetAt(target, classIndex, j)) * scale;
                }
                else
                {
                    // Outside the clip range the clipped log is flat: zero gradient, as in Keras.
                    gradient[j] = p < lo || p > hi ? T.Zero : -TargetAt(target, classIndex, j) / p * scale;
                }
            }
        }

        return double.CreateChecked(total);
    }

    private static T TargetAt<T>(ReadOnlySpan<T> target, int classIndex, int j)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        target.IsEmpty ? (j == classIndex ? T.One : T.Zero) : target[j];
}
