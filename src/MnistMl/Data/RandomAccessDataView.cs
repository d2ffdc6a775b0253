namespace MnistMl.Data;

/// <summary>
/// What every MnistMl view shares: its row count and its row readers are the whole of it, and
/// sequential cursors are a reader stepped through rows 0, 1, 2, ...
/// </summary>
internal abstract class RandomAccessDataView : IDataView
{
    public abstract DataViewSchema Schema { get; }

    public abstract int RowCount { get; }

    public long? GetRowCount() => RowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded) =>
        new(CreateReader(), RowCount, columnsNeeded);

    public abstract RowReader CreateReader();
}
