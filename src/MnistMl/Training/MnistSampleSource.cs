using MnistMl.Data;

namespace MnistMl.Training;

/// <summary>
/// An <see cref="MnistDataset"/> as training samples, the notebooks' preprocessing done per batch:
/// pixels scaled to [0, 1] as (rows, columns, 1) images; labels one-hot or as class indices.
/// The dataset stays bytes; only the rows of a batch become floats.
/// </summary>
public sealed class MnistSampleSource : ISampleSource
{
    private readonly MnistDataset _data;

    /// <summary>Wraps the dataset.</summary>
    /// <param name="data">The images and labels.</param>
    /// <param name="oneHotTargets">True for one-hot targets (categorical cross-entropy), false for class indices (sparse).</param>
    public MnistSampleSource(MnistDataset data, bool oneHotTargets)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        OneHotTargets = oneHotTargets;
        SampleShape = [data.Rows, data.Columns, 1];
    }

    /// <summary>Whether targets are one-hot vectors.</summary>
    public bool OneHotTargets { get; }

    /// <inheritdoc/>
    public int Count => _data.Count;

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape { get; }

    /// <inheritdoc/>
    public int TargetWidth => OneHotTargets ? _data.ClassCount : 1;

    /// <inheritdoc/>
    public void FillBatch(ReadOnlySpan<int> indices, Span<float> features, Span<float> targets)
    {
        var pixels = _data.PixelsPerImage;
        var labels = _data.Labels.Span;
        var width = TargetWidth;
        targets[..(indices.Length * width)].Clear();
        for (var i = 0; i < indices.Length; i++)
        {
            PixelScaling.ToUnitRange(_data.GetImage(indices[i]), features.Slice(i * pixels, pixels));
            var label = labels[indices[i]];
            if (OneHotTargets)
            {
                targets[(i * width) + label] = 1f;
            }
            else
            {
                targets[i] = label;
            }
        }
    }
}
