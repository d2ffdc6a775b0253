namespace MnistMl.Data;

/// <summary>
/// Steps through a view's rows in order. Call <see cref="MoveNext"/> before reading; getters then
/// read the current row. Vector values are views of the cursor's buffers, valid until the next
/// <see cref="MoveNext"/>: copy them to keep them. A cursor is not thread-safe; open one per thread.
/// </summary>
public sealed class DataViewRowCursor
{
    private readonly RowReader _reader;
    private readonly int _rowCount;
    private readonly bool[] _active;
    private int _row = -1;
    private bool _done;

    internal DataViewRowCursor(RowReader reader, int rowCount, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        _reader = reader;
        _rowCount = rowCount;
        _active = new bool[reader.Schema.Count];
        foreach (var column in columnsNeeded)
        {
            _active[reader.Schema.Resolve(column).Index] = true;
        }
    }

    /// <summary>The columns of the rows.</summary>
    public DataViewSchema Schema => _reader.Schema;

    /// <summary>The current row's position (0 for the first row), or -1 before the first row and after the last.</summary>
    public long Position => _done ? -1 : _row;

    /// <summary>Moves to the next row.</summary>
    /// <returns>Whether there was one; false once the rows are exhausted.</returns>
    public bool MoveNext()
    {
        if (_done || _row + 1 >= _rowCount)
        {
            _done = true;
            return false;
        }

        _row++;
        _reader.Seek(_row);
        return true;
    }

    /// <summary>Puts the cursor back before the first row, keeping its getters (prediction engines reuse one cursor per call).</summary>
    internal void Rewind()
    {
        _row = -1;
        _done = false;
    }

    /// <summary>Whether <paramref name="column"/> was among the columns needed when the cursor was opened.</summary>
    public bool IsColumnActive(DataViewSchema.Column column) => _active[Schema.Resolve(column).Index];

    /// <summary>A getter for <paramref name="column"/>'s value in the current row.</summary>
    /// <typeparam name="TValue">The column's <see cref="DataViewType.RawType"/>: the CLR type for scalars, <see cref="ReadOnlyMemory{T}"/> of the item type for vectors.</typeparam>
    /// <exception cref="SchemaMismatchException">The column is not in this cursor's schema, or is not read as <typeparamref name="TValue"/>.</exception>
    /// <exception cref="InvalidOperationException">The column was not among the columns needed when the cursor was opened.</exception>
    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
        {
            throw new InvalidOperationException(
                $"Column '{column.Name}' was not among the columns needed when the cursor was opened; pass it to GetRowCursor.");
        }

        var getter = _reader.GetGetter<TValue>(column);
        return (ref TValue value) =>
        {
            if (Position < 0)
            {
                throw new InvalidOperationException($"The cursor is not on a row, so column '{column.Name}' cannot be read: call MoveNext first and read only while it returns true.");
            }

            getter(ref value);
        };
    }
}
