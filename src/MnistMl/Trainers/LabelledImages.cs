using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Training;
using PixelScaling = MnistMl.Training.PixelScaling;
using SchemaMismatchException = MnistMl.Data.SchemaMismatchException;

namespace MnistMl.Trainers;

/// <summary>
/// The feature and label columns of an ML.NET view, read once into compact arrays (grey levels stay
/// bytes, 47 MB for MNIST's training set) and served to the fit loop by index: a byte image is
/// scaled to [0, 1] as it enters a batch, exactly as <see cref="MnistSampleSource"/> does.
/// </summary>
internal sealed class LabelledImages : ISampleSource
{
    private readonly byte[]? _bytes;
    private readonly float[]? _floats;
    private readonly byte[] _labels;
    private readonly int _size;
    private readonly int _classes;

    private LabelledImages(byte[]? bytes, float[]? floats, byte[] labels, int size, IReadOnlyList<int> shape, int classes, bool oneHot)
    {
        (_bytes, _floats, _labels, _size, _classes) = (bytes, floats, labels, size, classes);
        SampleShape = shape;
        TargetWidth = oneHot ? classes : 1;
    }

    public int Count => _labels.Length;

    public IReadOnlyList<int> SampleShape { get; }

    public int TargetWidth { get; }

    /// <summary>Reads every row of <paramref name="data"/>.</summary>
    /// <exception cref="SchemaMismatchException">A value cannot be a feature or a class.</exception>
    public static LabelledImages Read(IDataView data, TrainerColumns columns, IReadOnlyList<int> shape, bool oneHot, CancellationToken cancellationToken)
    {
        var features = columns.Features(data.Schema);
        var label = columns.Label(data.Schema);
        var size = columns.FeatureSize;
        var rows = (int)Math.Min(data.GetRowCount() ?? 0, int.MaxValue / size);
        var isBytes = ((VectorDataViewType)features.Type).ItemType == NumberDataViewType.Byte;
        var bytes = new List<byte>(isBytes ? rows * size : 0);
        var floats = new List<float>(isBytes ? 0 : rows * size);
        var labels = new List<byte>(rows);
        using var cursor = data.GetRowCursor([features, label]);
        var readLabel = columns.LabelReader(cursor, label);
        var getBytes = isBytes ? cursor.GetGetter<VBuffer<byte>>(features) : null;
        var getFloats = isBytes ? null : cursor.GetGetter<VBuffer<float>>(features);
        VBuffer<byte> byteRow = default;
        VBuffer<float> floatRow = default;
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            labels.Add(readLabel());
            if (getBytes is not null)
            {
                getBytes(ref byteRow);
                CheckLength(byteRow.Length, features, size, cursor.Position);
                AddDense(bytes, byteRow);
            }
            else
            {
                getFloats!(ref floatRow);
                CheckLength(floatRow.Length, features, size, cursor.Position);
                var start = floats.Count;
                AddDense(floats, floatRow);
                var bad = floats.FindIndex(start, size, v => !float.IsFinite(v));
                if (bad >= 0)
                {
                    throw new SchemaMismatchException(features.Name, $"Row {cursor.Position} of feature column '{features.Name}' holds {floats[bad]} at slot {bad - start}; features must be finite.");
                }
            }
        }

        if (labels.Count == 0)
        {
            throw new SchemaMismatchException(label.Name, "The training data has no rows.");
        }

        return new LabelledImages(isBytes ? [.. bytes] : null, isBytes ? null : [.. floats], [.. labels], size, shape, columns.Classes, oneHot);
    }

    public void FillBatch(ReadOnlySpan<int> indices, Span<float> features, Span<float> targets)
    {
        targets[..(indices.Length * TargetWidth)].Clear();
        for (var i = 0; i < indices.Length; i++)
        {
            var row = indices[i];
            var destination = features.Slice(i * _size, _size);
            if (_bytes is not null)
            {
                PixelScaling.ToUnitRange(_bytes.AsSpan(row * _size, _size), destination);
            }
            else
            {
                _floats.AsSpan(row * _size, _size).CopyTo(destination);
            }

            if (TargetWidth == 1)
            {
                targets[i] = _labels[row];
            }
            else
            {
                targets[(i * _classes) + _labels[row]] = 1f;
            }
        }
    }

    private static void CheckLength(int length, DataViewSchema.Column column, int size, long row)
    {
        if (length != size)
        {
            throw new SchemaMismatchException(column.Name, $"Row {row} of feature column '{column.Name}' has {length} values; the network takes {size}.");
        }
    }

    private static void AddDense<T>(List<T> destination, in VBuffer<T> row)
    {
        foreach (var value in row.DenseValues())
        {
            destination.Add(value);
        }
    }
}
