namespace MnistMl.Nn;

/// <summary>
/// Cross-entropy against one-hot (or probability) targets: <c>−Σ y·log p</c>, with p clipped to
/// [1e−7, 1 − 1e−7] as Keras does. With <c>fromLogits</c> the outputs are unnormalised scores and
/// a stable log-softmax is applied.
/// </summary>
public sealed class CategoricalCrossentropy(bool fromLogits = false) : Loss
{
    /// <summary>Whether outputs are logits rather than probabilities.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override string Name => "categorical_crossentropy";

    internal override bool FusesWithSoftmax => !FromLogits;

    internal override double Compute<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int batch, int width, Span<T> gradient, bool fusedSoftmax)
    {
        var scale = T.One / T.CreateChecked(batch);
        var sum = 0.0;
        for (var b = 0; b < batch; b++)
        {
            var rowGradient = gradient.IsEmpty ? gradient : gradient.Slice(b * width, width);
            sum += CrossentropyMath.Row(outputs.Slice(b * width, width), targets.Slice(b * width, width), -1, FromLogits, fusedSoftmax, scale, rowGradient);
        }

        return sum;
    }
}
