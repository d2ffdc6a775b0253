using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// The lazy output of an <see cref="IColumnMapper"/>: the input's columns with the output column
/// replaced (same name) or appended. Its reader seeks the input's reader and passes every other
/// column's getter through, so only the mapped column costs anything per row.
/// </summary>
internal sealed class ColumnMappingView : RandomAccessDataView
{
    private readonly IDataView _input;
    private readonly IColumnMapper _mapper;
    private readonly DataViewSchema.Column _inputColumn;
    private readonly int _outputIndex;

    private ColumnMappingView(IDataView input, IColumnMapper mapper)
    {
        _input = input;
        _mapper = mapper;
        _inputColumn = input.Schema[mapper.InputColumnName];
        Schema = OutputSchema(mapper, input.Schema);
        _outputIndex = Schema[mapper.OutputColumnName].Index;
    }

    public override DataViewSchema Schema { get; }

    public override int RowCount => _input.RowCount;

    /// <summary>The input schema with the mapper's output column; checks the input column exists and has a type the mapper reads.</summary>
    /// <exception cref="SchemaMismatchException">The input column is missing or has the wrong type.</exception>
    public static DataViewSchema OutputSchema(IColumnMapper mapper, DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return inputSchema.WithColumn(mapper.OutputColumnName, mapper.GetOutputType(inputSchema[mapper.InputColumnName]));
    }

    /// <summary>The lazy view of <paramref name="input"/> mapped; checks the schema now.</summary>
    /// <exception cref="SchemaMismatchException">The input column is missing or has the wrong type.</exception>
    public static IDataView Create(IColumnMapper mapper, IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ColumnMappingView(input, mapper);
    }

    public override RowReader CreateReader() => new Reader(this, _input.CreateReader());

    private sealed class Reader(ColumnMappingView view, RowReader input) : RowReader(view.Schema)
    {
        public override Delegate CreateGetter(int columnIndex) => columnIndex == view._outputIndex
            ? view._mapper.CreateGetter(input, view._inputColumn)
            : input.CreateGetter(columnIndex);

        protected override void SeekCore(int row) => input.Seek(row);
    }
}
