using MnistMl.Data;
using MnistMl.Transforms;

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
    /// <param name="count">Use only the first <paramref name="count"/> samples (default: all).</param>
    public MnistSampleSource(MnistDataset data, bool oneHotTargets, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (count is < 1 || count > data.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 1 and the {data.Count} samples there are.");
        }

        _data = data;
        OneHotTargets = oneHotTargets;
        Count = count ?? data.Count;
        SampleShape = [data.Rows, data.Columns, 1];
    }

    /// <summary>Whether targets are one-hot vectors.</summary>
    public bool OneHotTargets { get; }

    /// <inheritdoc/>
    public int Count { get; }

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
            PixelScaling.UnitRange.Apply(_data.GetImage(indices[i]), features.Slice(i * pixels, pixels));
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
