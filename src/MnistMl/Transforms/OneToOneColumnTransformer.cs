using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// A transformer that computes one output column from one input column, row by row, and passes
/// every other column through. The output replaces a column of the same name or is appended.
/// Derived transformers supply only the type rule and the per-row conversion.
/// </summary>
public abstract class OneToOneColumnTransformer : ITransformer
{
    private protected OneToOneColumnTransformer(string inputColumnName, string? outputColumnName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        InputColumnName = inputColumnName;
        OutputColumnName = string.IsNullOrWhiteSpace(outputColumnName) ? inputColumnName : outputColumnName;
    }

    /// <summary>The column read.</summary>
    public string InputColumnName { get; }

    /// <summary>The column written: the input column's name unless another was given.</summary>
    public string OutputColumnName { get; }

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return inputSchema.WithColumn(OutputColumnName, GetOutputType(inputSchema[InputColumnName]));
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ColumnMappingView(input, this);
    }

    /// <summary>The output column's type for <paramref name="input"/>.</summary>
    /// <exception cref="SchemaMismatchException"><paramref name="input"/> has a type the transformer cannot read.</exception>
    private protected abstract DataViewType GetOutputType(DataViewSchema.Column input);

    /// <summary>
    /// A getter of the output value for the row <paramref name="input"/> is on, of the output type's
    /// <see cref="DataViewType.RawType"/>. Called once per reader: buffers it allocates are reused for every row.
    /// </summary>
    private protected abstract Delegate CreateGetter(RowReader input, DataViewSchema.Column inputColumn);

    /// <summary>
    /// The lazy output: the input's columns with the output column. Its reader seeks the input's
    /// reader and passes every other column's getter through, so only the mapped column costs
    /// anything per row (the output schema keeps the other columns' indices).
    /// </summary>
    private sealed class ColumnMappingView : RandomAccessDataView
    {
        private readonly IDataView _input;
        private readonly OneToOneColumnTransformer _transformer;
        private readonly DataViewSchema.Column _inputColumn;
        private readonly int _outputIndex;

        public ColumnMappingView(IDataView input, OneToOneColumnTransformer transformer)
        {
            _input = input;
            _transformer = transformer;
            Schema = transformer.GetOutputSchema(input.Schema);
            _inputColumn = input.Schema[transformer.InputColumnName];
            _outputIndex = Schema[transformer.OutputColumnName].Index;
        }

        public override DataViewSchema Schema { get; }

        public override int RowCount => _input.RowCount;

        public override RowReader CreateReader() => new Reader(this, _input.CreateReader());

        private sealed class Reader(ColumnMappingView view, RowReader input) : RowReader(view.Schema)
        {
            public override Delegate CreateGetter(int columnIndex) => columnIndex == view._outputIndex
                ? view._transformer.CreateGetter(input, view._inputColumn)
                : input.CreateGetter(columnIndex);

            protected override void SeekCore(int row) => input.Seek(row);
        }
    }
}
