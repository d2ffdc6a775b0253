using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Nn;

namespace MnistMl.Trainers;

public sealed partial class KerasCnnTransformer
{
    /// <summary>The scores of a row, computed once per row position on this row's own predictor.</summary>
    private sealed class RowScorer
    {
        private readonly DataViewRow _input;
        private readonly Predictor _predictor;
        private readonly ValueGetter<VBuffer<byte>>? _getBytes;
        private readonly ValueGetter<VBuffer<float>>? _getFloats;
        private readonly float[] _scores;
        private readonly IReadOnlyList<Transforms.PixelScaling> _scalings;
        private VBuffer<byte> _bytes;
        private VBuffer<float> _floats;
        private long _scoredPosition = -1;

        public RowScorer(KerasCnnTransformer transformer, DataViewRow input)
        {
            _input = input;
            _predictor = transformer.Model.CreatePredictor(1);
            var features = transformer._columns.Features(input.Schema);
            FeatureName = features.Name;
            if (((VectorDataViewType)features.Type).ItemType == NumberDataViewType.Byte)
            {
                _getBytes = input.GetGetter<VBuffer<byte>>(features);
            }
            else
            {
                _getFloats = input.GetGetter<VBuffer<float>>(features);
            }

            _scores = new float[transformer._columns.Classes];
            _scalings = transformer.GreyLevelScalings;
        }

        public Delegate Getter(int output) => output == 0
            ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => new VBuffer<float>(_scores.Length, Scores()).CopyTo(ref value))
            : (ValueGetter<uint>)((ref uint value) => value = (uint)Metric.ArgMax<float>(Scores()) + 1);

        private float[] Scores()
        {
            // Every new row of a cursor or of a prediction engine's input row has a new position.
            if (_input.Position == _scoredPosition && _scoredPosition >= 0)
            {
                return _scores;
            }

            var destination = _predictor.Input(0);
            if (_getBytes is not null)
            {
                _getBytes(ref _bytes);
                CheckLength(_bytes.Length, destination.Length);

                // The same float32 values as the training batches.
                Transforms.PixelScaling.ApplyAll(_scalings, _bytes.IsDense ? _bytes.GetValues() : _bytes.DenseValues().ToArray(), destination);
            }
            else
            {
                _getFloats!(ref _floats);
                CheckLength(_floats.Length, destination.Length);
                var i = 0;
                foreach (var value in _floats.DenseValues())
                {
                    destination[i++] = value;
                }
            }

            _predictor.Run(1).CopyTo(_scores);
            _scoredPosition = _input.Position;
            return _scores;
        }

        private void CheckLength(int length, int expected)
        {
            if (length != expected)
            {
                throw new Data.DataValueException(FeatureName, _input.Position, $"{length} feature values; the network takes {expected}.");
            }
        }

        private string FeatureName { get; }
    }

    /// <summary>Which of the output schema's columns are the input's and which are ours.</summary>
    private static (bool[] InputActive, bool[] OutputActive) Split(DataViewSchema inputSchema, IEnumerable<DataViewSchema.Column> needed, int featureIndex)
    {
        var inputActive = new bool[inputSchema.Count];
        var outputActive = new bool[2];
        foreach (var column in needed)
        {
            if (column.Index < inputSchema.Count)
            {
                inputActive[column.Index] = true;
            }
            else
            {
                outputActive[column.Index - inputSchema.Count] = true;
            }
        }

        if (outputActive[0] || outputActive[1])
        {
            inputActive[featureIndex] = true;
        }

        return (inputActive, outputActive);
    }

    private sealed class ScoredDataView(KerasCnnTransformer transformer, IDataView input, DataViewSchema schema) : IDataView
    {
        public bool CanShuffle => input.CanShuffle;

        public DataViewSchema Schema => schema;

        public long? GetRowCount() => input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            var (inputActive, outputActive) = Split(input.Schema, columnsNeeded, transformer._columns.Features(input.Schema).Index);
            return new ScoredCursor(transformer, schema, input.GetRowCursor(input.Schema.Where(c => inputActive[c.Index]), rand), outputActive);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        {
            var (inputActive, outputActive) = Split(input.Schema, columnsNeeded, transformer._columns.Features(input.Schema).Index);
            return [.. input.GetRowCursorSet(input.Schema.Where(c => inputActive[c.Index]), n, rand).Select(c => (DataViewRowCursor)new ScoredCursor(transformer, schema, c, outputActive))];
        }
    }

    /// <summary>A cursor of the scored view: moves its input cursor, reads as the <see cref="ScoredRow"/> over it.</summary>
    private sealed class ScoredCursor(KerasCnnTransformer transformer, DataViewSchema schema, DataViewRowCursor input, bool[] outputActive) : DataViewRowCursor
    {
        private readonly ScoredRow _row = new(transformer, schema, input, outputActive);

        public override DataViewSchema Schema => schema;

        public override long Position => _row.Position;

        public override long Batch => _row.Batch;

        public override bool MoveNext() => input.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => _row.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _row.GetGetter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _row.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class ScoredRow(KerasCnnTransformer transformer, DataViewSchema schema, DataViewRow input, bool[] outputActive) : DataViewRow
    {
        private readonly RowScorer? _scorer = outputActive[0] || outputActive[1] ? new RowScorer(transformer, input) : null;

        public override DataViewSchema Schema => schema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => OutputsAndInputs.IsActive(column, input, outputActive);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => OutputsAndInputs.Getter<TValue>(column, input, outputActive, _scorer);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                input.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A column of the output schema is either the input's (same index) or one of the two added.</summary>
    private static class OutputsAndInputs
    {
        public static bool IsActive(DataViewSchema.Column column, DataViewRow input, bool[] outputActive) =>
            column.Index < input.Schema.Count ? input.IsColumnActive(input.Schema[column.Index]) : outputActive[Output(column, input)];

        public static ValueGetter<TValue> Getter<TValue>(DataViewSchema.Column column, DataViewRow input, bool[] outputActive, RowScorer? scorer)
        {
            if (column.Index < input.Schema.Count)
            {
                return input.GetGetter<TValue>(input.Schema[column.Index]);
            }

            var output = Output(column, input);
            if (!outputActive[output] || scorer is null)
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not asked for when this cursor was made.");
            }

            return scorer.Getter(output) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private static int Output(DataViewSchema.Column column, DataViewRow input)
        {
            var output = column.Index - input.Schema.Count;
            return output is 0 or 1 ? output : throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) is not a column of this view.");
        }
    }

    private sealed class RowMapper(KerasCnnTransformer transformer, DataViewSchema inputSchema, DataViewSchema outputSchema) : IRowToRowMapper
    {
        public DataViewSchema InputSchema => inputSchema;

        public DataViewSchema OutputSchema => outputSchema;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        {
            var (inputActive, _) = Split(inputSchema, dependingColumns, transformer._columns.Features(inputSchema).Index);
            return inputSchema.Where(c => inputActive[c.Index]);
        }

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (!ReferenceEquals(input.Schema, inputSchema))
            {
                throw new ArgumentException("The row's schema is not the one this mapper was made for.", nameof(input));
            }

            var (_, outputActive) = Split(inputSchema, activeColumns, transformer._columns.Features(inputSchema).Index);
            return new ScoredRow(transformer, outputSchema, input, outputActive);
        }
    }
}
