namespace MnistMl.Training;

/// <summary>
/// Labelled samples that the fit loop draws batches from by index. Implementations keep their
/// storage compact (MNIST stays <see cref="byte"/>) and convert only the rows of one batch.
/// </summary>
public interface ISampleSource
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Shape of one sample's features, e.g. <c>[28, 28, 1]</c> (height, width, channels).</summary>
    IReadOnlyList<int> SampleShape { get; }

    /// <summary>
    /// Floats per target: the number of classes for one-hot targets, or 1 for a sparse class index.
    /// </summary>
    int TargetWidth { get; }

    /// <summary>
    /// Writes the samples at <paramref name="indices"/> into <paramref name="features"/>
    /// (<c>indices.Length × product(SampleShape)</c> floats, row-major) and their targets into
    /// <paramref name="targets"/> (<c>indices.Length × TargetWidth</c> floats).
    /// </summary>
    void FillBatch(ReadOnlySpan<int> indices, Span<float> features, Span<float> targets);
}
