using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl.Trainers;

/// <summary>
/// The feature and label columns of an ML.NET view, read once into compact arrays (grey levels stay
/// bytes, 47 MB for MNIST's training set; a view straight from <c>LoadMnist</c> lends its own
/// arrays) and served to the fit loop by index: a byte image is
/// scaled to [0, 1] as it enters a batch, exactly as <see cref="MnistSampleSource"/> does.
/// </summary>
internal sealed class LabelledImages : ISampleSource
{
    private readonly ReadOnlyMemory<byte>? _bytes;
    private readonly float[]? _floats;
    private readonly ReadOnlyMemory<byte> _labels;
    private readonly int _size;
    private readonly int _classes;

    private LabelledImages(ReadOnlyMemory<byte>? bytes, float[]? floats, ReadOnlyMemory<byte> labels, int size, IReadOnlyList<int> shape, int classes, bool oneHot)
    {
        (_bytes, _floats, _labels, _size, _classes) = (bytes, floats, labels, size, classes);
        SampleShape = shape;
        TargetWidth = oneHot ? classes : 1;
    }

    public int Count => _labels.Length;

    public IReadOnlyList<int> SampleShape { get; }

    public int TargetWidth { get; }

    /// <summary>Reads every row of <paramref name="data"/>.</summary>
    /// <exception cref="SchemaMismatchException">A column is missing or of the wrong type.</exception>
    /// <exception cref="DataValueException">There are no rows, or a row holds a value that is not a feature or a class.</exception>
    public static LabelledImages Read(IDataView data, TrainerColumns columns, IReadOnlyList<int> shape, bool oneHot, CancellationToken cancellationToken)
    {
        var features = columns.Features(data.Schema);
        var label = columns.Label(data.Schema);
        var size = columns.FeatureSize;
        if (data is IdxDataView { Dataset: var dataset } && features.Name == MnistColumnNames.Image && label.Name == MnistColumnNames.Label
            && dataset.Count > 0 && dataset.ClassCount <= columns.Classes)
        {
            // MNIST straight from ml.Data.LoadMnist: its own bytes, validated when loaded, need no copy.
            return new LabelledImages(dataset.Images, null, dataset.Labels, size, shape, columns.Classes, oneHot);
        }

        var expected = (int)Math.Min(data.GetRowCount() ?? 1024, int.MaxValue / size);
        var isBytes = ((VectorDataViewType)features.Type).ItemType == NumberDataViewType.Byte;
        var bytes = new byte[isBytes ? expected * size : 0];
        var floats = new float[isBytes ? 0 : expected * size];
        var labels = new byte[expected];
        var count = 0;
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

            if (count == labels.Length)
            {
                // A view that did not know its row count: grow by half.
                var capacity = (int)Math.Min((long)count + Math.Max(count / 2, 1024), int.MaxValue / size);
                if (capacity <= count)
                {
                    throw new DataValueException(features.Name, cursor.Position, $"more rows than the {int.MaxValue / size:N0} of {size} values an array holds.");
                }

                Array.Resize(ref labels, capacity);
                Array.Resize(ref bytes, isBytes ? checked(capacity * size) : 0);
                Array.Resize(ref floats, isBytes ? 0 : checked(capacity * size));
            }

            labels[count] = readLabel();
            if (getBytes is not null)
            {
                getBytes(ref byteRow);
                CheckLength(byteRow.Length, features, size, cursor.Position);
                CopyDense(byteRow, bytes.AsSpan(count * size, size));
            }
            else
            {
                getFloats!(ref floatRow);
                CheckLength(floatRow.Length, features, size, cursor.Position);
                var row = floats.AsSpan(count * size, size);
                CopyDense(floatRow, row);
                var bad = FirstNotFinite(row);
                if (bad >= 0)
                {
                    throw new DataValueException(features.Name, cursor.Position, $"slot {bad} holds {row[bad]}; features must be finite.");
                }
            }

            count++;
        }

        if (count == 0)
        {
            throw new DataValueException(label.Name, -1, "the training data has no rows.");
        }

        if (count != labels.Length)
        {
            Array.Resize(ref labels, count);
            Array.Resize(ref bytes, isBytes ? count * size : 0);
            Array.Resize(ref floats, isBytes ? 0 : count * size);
        }

        return new LabelledImages(isBytes ? bytes.AsMemory() : (ReadOnlyMemory<byte>?)null, isBytes ? null : floats, labels, size, shape, columns.Classes, oneHot);
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
                PixelScaling.UnitRange.Apply(_bytes.Value.Span.Slice(row * _size, _size), destination);
            }
            else
            {
                _floats.AsSpan(row * _size, _size).CopyTo(destination);
            }

            if (TargetWidth == 1)
            {
                targets[i] = _labels.Span[row];
            }
            else
            {
                targets[(i * _classes) + _labels.Span[row]] = 1f;
            }
        }
    }

    private static void CheckLength(int length, DataViewSchema.Column column, int size, long row)
    {
        if (length != size)
        {
            throw new DataValueException(column.Name, row, $"{length} feature values; the network takes {size}.");
        }
    }

    private static int FirstNotFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void CopyDense<T>(in VBuffer<T> row, Span<T> destination)
    {
        if (row.IsDense)
        {
            row.GetValues().CopyTo(destination);
            return;
        }

        var i = 0;
        foreach (var value in row.DenseValues())
        {
            destination[i++] = value;
        }
    }
}
