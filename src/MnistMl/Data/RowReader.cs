namespace MnistMl.Data;

/// <summary>
/// Random access to a view's rows: <see cref="Seek"/> to a row, then call getters, which read that
/// row. Source readers index their arrays directly; a transform's reader seeks its input's reader
/// and converts into buffers it reuses, so reading rows allocates nothing. One reader serves one
/// consumer at a time (a cursor, a batch source, a fitting pass); views create as many as asked.
/// </summary>
internal abstract class RowReader
{
    protected RowReader(DataViewSchema schema)
    {
        Schema = schema;
        Row = -1;
    }

    public DataViewSchema Schema { get; }

    /// <summary>The row the getters read, as last passed to <see cref="Seek"/>; -1 before that.</summary>
    public int Row { get; private set; }

    /// <summary>Positions the reader on <paramref name="row"/>, which the caller has checked is in range.</summary>
    public void Seek(int row)
    {
        Row = row;
        SeekCore(row);
    }

    /// <summary>A getter for <paramref name="column"/>, checked to read it as <typeparamref name="TValue"/>.</summary>
    /// <exception cref="SchemaMismatchException">The column is not in this reader's schema, or is not read as <typeparamref name="TValue"/>.</exception>
    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var own = Schema.Resolve(column);
        if (own.Type.RawType != typeof(TValue))
        {
            throw new SchemaMismatchException(
                own.Name,
                $"Column '{own.Name}' has type {own.Type} and is read with a ValueGetter<{DataViewType.FormatClrType(own.Type.RawType)}>, " +
                $"but a ValueGetter<{DataViewType.FormatClrType(typeof(TValue))}> was asked for.");
        }

        return (ValueGetter<TValue>)CreateGetter(own.Index);
    }

    /// <summary>
    /// A <see cref="ValueGetter{TValue}"/> of the column's <see cref="DataViewType.RawType"/> for the
    /// column at <paramref name="columnIndex"/>. Untyped so that a transform can pass its input's
    /// getters through without knowing their types; <see cref="GetGetter{TValue}"/> is the checked way in.
    /// </summary>
    public abstract Delegate CreateGetter(int columnIndex);

    /// <summary>Moves whatever this reader reads from (an input reader) to the row; sources need nothing.</summary>
    protected virtual void SeekCore(int row)
    {
    }
}
