using MnistMl.Data;
using MnistMl.Nn;
using MnistMl.Transforms;

namespace MnistMl.Training;

/// <summary>
/// A trained classifier in a pipeline: <see cref="Transform"/> adds, lazily, the column
/// <c>Score</c> (the class probabilities, a Single vector) and <c>PredictedLabel</c> (the most
/// probable class, Int32), computed from the feature column. The network and its training
/// history are <see cref="Model"/> and <see cref="History"/>.
/// </summary>
public sealed class MulticlassPredictionTransformer : ITransformer
{
    /// <summary>Name of the probabilities column.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>Name of the predicted-class column.</summary>
    public const string PredictedLabelColumnName = "PredictedLabel";

    /// <summary>Rows scored together when a view is read in order: one forward pass per block.</summary>
    private const int BlockSize = 256;

    internal MulticlassPredictionTransformer(Sequential model, string featureColumnName, History? history)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(featureColumnName);
        Model = model;
        FeatureColumnName = featureColumnName;
        History = history;
        ClassCount = Shapes.Product([.. model.OutputShape]);
    }

    /// <summary>The trained network.</summary>
    public Sequential Model { get; }

    /// <summary>The figures of each training epoch; null for a model loaded from a file.</summary>
    public History? History { get; }

    /// <summary>The column holding the images.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Number of classes scored.</summary>
    public int ClassCount { get; }

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var features = inputSchema[FeatureColumnName];
        var inputSize = Shapes.Product([.. Model.InputShape]);
        if (!ColumnValueReaders.IsByteOrSingleVector(features.Type) || ((VectorDataViewType)features.Type).Size != inputSize)
        {
            throw SchemaMismatchException.WrongType(
                features, $"a Byte or Single vector of {inputSize} values (the model takes {Shapes.Format([.. Model.InputShape])})", "the classifier's features");
        }

        return inputSchema
            .WithColumn(ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, ClassCount))
            .WithColumn(PredictedLabelColumnName, NumberDataViewType.Int32);
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ScoredDataView(input, this, scoreInBlocks: true);
    }

    /// <summary>A view for a one-row source whose row changes between reads (prediction engines): nothing is cached across seeks.</summary>
    internal IDataView TransformSingleRow(IDataView input) => new ScoredDataView(input, this, scoreInBlocks: false);

    private sealed class ScoredDataView : RandomAccessDataView
    {
        private readonly IDataView _input;
        private readonly MulticlassPredictionTransformer _transformer;
        private readonly bool _scoreInBlocks;

        public ScoredDataView(IDataView input, MulticlassPredictionTransformer transformer, bool scoreInBlocks)
        {
            _input = input;
            _transformer = transformer;
            _scoreInBlocks = scoreInBlocks;
            Schema = transformer.GetOutputSchema(input.Schema);
        }

        public override DataViewSchema Schema { get; }

        public override int RowCount => _input.RowCount;

        public override RowReader CreateReader() => new Reader(this, _input.CreateReader());

        private sealed class Reader : RowReader
        {
            private readonly ScoredDataView _view;
            private readonly RowReader _input;
            private readonly int _scoreIndex;
            private readonly int _predictedIndex;
            private readonly int _classes;
            private Predictor? _predictor;
            private SingleVectorWriter? _writeFeatures;
            private float[] _scores = [];
            private int _blockStart = -1;
            private int _blockCount;

            public Reader(ScoredDataView view, RowReader input)
                : base(view.Schema)
            {
                _view = view;
                _input = input;
                _scoreIndex = view.Schema[ScoreColumnName].Index;
                _predictedIndex = view.Schema[PredictedLabelColumnName].Index;
                _classes = view._transformer.ClassCount;
            }

            public override Delegate CreateGetter(int columnIndex)
            {
                if (columnIndex == _scoreIndex)
                {
                    var buffer = new float[_classes];
                    return (ValueGetter<ReadOnlyMemory<float>>)((ref ReadOnlyMemory<float> value) =>
                    {
                        RowScores().CopyTo(buffer);
                        value = buffer;
                    });
                }

                if (columnIndex == _predictedIndex)
                {
                    return (ValueGetter<int>)((ref int value) => value = Metric.ArgMax<float>(RowScores()));
                }

                return _input.CreateGetter(columnIndex);
            }

            protected override void SeekCore(int row)
            {
                _input.Seek(row);
                if (!_view._scoreInBlocks)
                {
                    _blockStart = -1;
                }
            }

            private ReadOnlySpan<float> RowScores()
            {
                var row = Row;
                if (row < _blockStart || row >= _blockStart + _blockCount)
                {
                    ScoreBlock(row);
                }

                return _scores.AsSpan((row - _blockStart) * _classes, _classes);
            }

            private void ScoreBlock(int row)
            {
                var capacity = _view._scoreInBlocks ? BlockSize : 1;
                _predictor ??= _view._transformer.Model.CreatePredictor(capacity);
                _writeFeatures ??= ColumnValueReaders.CreateSingleVectorWriter(_input, _view._input.Schema[_view._transformer.FeatureColumnName]);
                var count = Math.Min(capacity, _view.RowCount - row);
                for (var i = 0; i < count; i++)
                {
                    _input.Seek(row + i);
                    _writeFeatures(_predictor.Input(i));
                }

                // The other columns pass through the input reader: put it back on the current row.
                _input.Seek(row);
                var outputs = _predictor.Run(count);
                if (_scores.Length < outputs.Length)
                {
                    _scores = new float[capacity * _classes];
                }

                outputs.CopyTo(_scores);
                _blockStart = row;
                _blockCount = count;
            }
        }
    }
}
