using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>A contiguous run of the input's rows: row <c>i</c> is input row <c>start + i</c>. The parts of a validation split.</summary>
internal sealed class RowRangeDataView : RandomAccessDataView
{
    private readonly IDataView _input;
    private readonly int _start;

    public RowRangeDataView(IDataView input, int start, int count)
    {
        _input = input;
        _start = start;
        RowCount = count;
    }

    public override DataViewSchema Schema => _input.Schema;

    public override int RowCount { get; }

    public override RowReader CreateReader() => new Reader(Schema, _input.CreateReader(), _start);

    private sealed class Reader(DataViewSchema schema, RowReader input, int start) : RowReader(schema)
    {
        public override Delegate CreateGetter(int columnIndex) => input.CreateGetter(columnIndex);

        protected override void SeekCore(int row) => input.Seek(start + row);
    }
}
