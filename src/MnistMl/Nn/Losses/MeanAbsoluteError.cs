namespace MnistMl.Nn;

/// <summary>Mean over the outputs of <c>|p − y|</c>, averaged over the batch.</summary>
public sealed class MeanAbsoluteError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_error";

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
                row += T.Abs(d);
                if (!gradient.IsEmpty)
                {
                    gradient[j] = T.CreateChecked(T.Sign(d)) * scale;
                }
            }

            sum += double.CreateChecked(row) / width;
        }

        return sum;
    }
}
