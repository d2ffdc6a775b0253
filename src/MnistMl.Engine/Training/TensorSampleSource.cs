using MnistMl.Nn;

namespace MnistMl.Training;

/// <summary>
/// Samples held in tensors, as Keras's <c>fit(x, y)</c> takes them: <c>x</c> is (samples, ...),
/// <c>y</c> is (samples, classes) for one-hot targets or (samples) for class indices.
/// </summary>
public sealed class TensorSampleSource : ISampleSource
{
    private readonly Tensor _x;
    private readonly Tensor _y;

    /// <summary>Pairs inputs with targets.</summary>
    /// <exception cref="ArgumentException">The tensors disagree on the number of samples.</exception>
    public TensorSampleSource(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank < 2)
        {
            throw new ArgumentException($"x must be (samples, ...) but has shape {x}.", nameof(x));
        }

        if (x.Shape[0] != y.Shape[0])
        {
            throw new ArgumentException($"x has {x.Shape[0]} samples but y has {y.Shape[0]}.", nameof(y));
        }

        _x = x;
        _y = y;
        SampleShape = [.. x.Shape.Skip(1)];
        TargetWidth = y.SampleSize;
    }

    /// <inheritdoc/>
    public int Count => _x.Shape[0];

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape { get; }

    /// <inheritdoc/>
    public int TargetWidth { get; }

    /// <inheritdoc/>
    public void FillBatch(ReadOnlySpan<int> indices, Span<float> features, Span<float> targets)
    {
        var size = _x.SampleSize;
        for (var i = 0; i < indices.Length; i++)
        {
            _x.Sample(indices[i]).CopyTo(features.Slice(i * size, size));
            _y.Sample(indices[i]).CopyTo(targets.Slice(i * TargetWidth, TargetWidth));
        }
    }
}
