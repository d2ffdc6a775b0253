namespace MnistMl.Nn;

/// <summary>
/// Cross-entropy against integer class labels (one target value per sample): <c>−log p[label]</c>.
/// Same clipping and <c>fromLogits</c> option as <see cref="CategoricalCrossentropy"/>.
/// </summary>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false) : Loss
{
    /// <summary>Whether outputs are logits rather than probabilities.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override string Name => "sparse_categorical_crossentropy";

    /// <inheritdoc/>
    public override bool SparseTargets => true;

    internal override bool FusesWithSoftmax => !FromLogits;

    internal override double Compute<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int batch, int width, Span<T> gradient, bool fusedSoftmax)
    {
        var scale = T.One / T.CreateChecked(batch);
        var sum = 0.0;
        for (var b = 0; b < batch; b++)
        {
            var rowGradient = gradient.IsEmpty ? gradient : gradient.Slice(b * width, width);
            var label = ClassIndex(targets[b], width, b);
            sum += CrossentropyMath.Row(outputs.Slice(b * width, width), [], label, FromLogits, fusedSoftmax, scale, rowGradient);
        }

        return sum;
    }
}
