using MnistMl.Data;

namespace MnistMl.Training;

/// <summary>
/// The rows of a data view as training samples: <see cref="FillBatch"/> seeks each requested row
/// and converts only that row's values to floats, so a view over MNIST's bytes is never copied
/// whole. Features come from a fixed-size Byte or Single vector column (bytes as they are, 0–255:
/// a preceding <c>ScalePixels</c> decides the scaling); targets from a Single vector column
/// (one-hot, <see cref="TargetWidth"/> = its length) or an integer scalar column (sparse, the class
/// index as a float, <see cref="TargetWidth"/> = 1). Filling batches allocates nothing.
/// Not thread-safe: one <see cref="FillBatch"/> at a time; create one source per thread.
/// </summary>
public sealed class DataViewSampleSource : ISampleSource
{
    private readonly RowReader _reader;
    private readonly SingleVectorWriter _writeFeatures;
    private readonly int _featureSize;
    private readonly SingleVectorWriter _writeTargets;

    /// <summary>Reads samples from <paramref name="view"/>.</summary>
    /// <param name="view">The rows.</param>
    /// <param name="featureColumnName">A fixed-size Byte or Single vector column; its shape is <see cref="SampleShape"/>.</param>
    /// <param name="labelColumnName">A fixed-size Single vector column (one-hot targets) or an integer scalar column (class indices).</param>
    /// <exception cref="SchemaMismatchException">A column is missing or has a type that cannot be read as features or targets.</exception>
    public DataViewSampleSource(IDataView view, string featureColumnName = MnistColumnNames.Image, string labelColumnName = MnistColumnNames.Label)
    {
        ArgumentNullException.ThrowIfNull(view);
        var features = view.Schema[featureColumnName];
        if (!ColumnValueReaders.IsByteOrSingleVector(features.Type))
        {
            throw SchemaMismatchException.WrongType(features, "a fixed-size vector of Byte or Single", "a batch's features");
        }

        _reader = view.CreateReader();
        var featureType = (VectorDataViewType)features.Type;
        SampleShape = featureType.Dimensions;
        _featureSize = featureType.Size;
        _writeFeatures = ColumnValueReaders.CreateSingleVectorWriter(_reader, features);
        Count = view.RowCount;

        var label = view.Schema[labelColumnName];
        if (label.Type is VectorDataViewType { IsKnownSize: true } target && target.ItemType.Equals(NumberDataViewType.Single))
        {
            TargetWidth = target.Size;
            _writeTargets = ColumnValueReaders.CreateSingleVectorWriter(_reader, label);
        }
        else if (ColumnValueReaders.IsIntegerScalar(label.Type))
        {
            TargetWidth = 1;
            var classIndex = ColumnValueReaders.CreateInt64Getter(_reader, label);
            _writeTargets = destination => destination[0] = classIndex();
        }
        else
        {
            throw SchemaMismatchException.WrongType(
                label, $"a fixed-size Single vector (one-hot) or an integer scalar ({ColumnValueReaders.IntegerTypeNames})", "a batch's targets");
        }
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape { get; }

    /// <inheritdoc/>
    public int TargetWidth { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">An index is not a row of the view.</exception>
    /// <exception cref="ArgumentException">A destination is too short for the batch.</exception>
    public void FillBatch(ReadOnlySpan<int> indices, Span<float> features, Span<float> targets)
    {
        if (features.Length < (long)indices.Length * _featureSize || targets.Length < (long)indices.Length * TargetWidth)
        {
            throw new ArgumentException(
                $"A batch of {indices.Length} needs {(long)indices.Length * _featureSize} feature floats and {(long)indices.Length * TargetWidth} target floats; " +
                $"got {features.Length} and {targets.Length}.");
        }

        for (var i = 0; i < indices.Length; i++)
        {
            var row = indices[i];
            if ((uint)row >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), row, $"Index {row} (at {i}) is not a row: the view has {Count}.");
            }

            _reader.Seek(row);
            _writeFeatures(features.Slice(i * _featureSize, _featureSize));
            _writeTargets(targets.Slice(i * TargetWidth, TargetWidth));
        }
    }
}
