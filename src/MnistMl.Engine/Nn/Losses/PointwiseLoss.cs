using System.Numerics;

namespace MnistMl.Nn;

/// <summary>
/// A loss that is the mean over outputs of a function of <c>p − y</c> (squared or absolute
/// error), averaged over the batch. Subclasses give the function and its derivative.
/// </summary>
public abstract class PointwiseLoss : Loss
{
    private protected PointwiseLoss()
    {
    }

    /// <summary>The per-output loss of a difference <c>d = p − y</c>.</summary>
    private protected abstract T Value<T>(T difference)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Its derivative with respect to <c>p</c>.</summary>
    private protected abstract T Derivative<T>(T difference)
        where T : unmanaged, IFloatingPointIeee754<T>;

    internal override double Compute<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int batch, int width, Span<T> gradient, bool fusedSoftmax)
    {
        var scale = T.CreateChecked(1.0 / ((double)batch * width));
        var sum = 0.0;
        for (var b = 0; b < batch; b++)
        {
            var row = T.Zero;
            for (var j = b * width; j < (b + 1) * width; j++)
            {
                var d = outputs[j] - targets[j];
                row += Value(d);
                if (!gradient.IsEmpty)
                {
                    gradient[j] = Derivative(d) * scale;
                }
            }

            sum += double.CreateChecked(row) / width;
        }

        return sum;
    }
}
