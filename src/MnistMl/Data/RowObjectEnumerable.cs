namespace MnistMl.Data;

/// <summary>
/// A view's rows as new objects of a row class: each public writable number or number-array
/// member is filled from the column of the same name (see <see cref="RowMember{TRow}"/>).
/// </summary>
internal static class RowObjectEnumerable
{
    /// <summary>Checks the members against the schema now, then reads the rows lazily, on a new cursor per enumeration.</summary>
    /// <exception cref="SchemaMismatchException">A member has no column, or its type does not match the column's.</exception>
    public static IEnumerable<TRow> Create<TRow>(IDataView view)
        where TRow : class, new()
    {
        // Resolve the columns now, so a mismatch is reported at the call rather than at the first read.
        foreach (var member in RowMember<TRow>.Discover(writable: true))
        {
            ColumnFor(view.Schema, member);
        }

        return Enumerate<TRow>(view);
    }

    /// <summary>
    /// A cursor over the columns <typeparamref name="TRow"/>'s writable members map to, and a
    /// filler that copies the cursor's current row into an object.
    /// </summary>
    public static (DataViewRowCursor Cursor, Action<TRow> Fill) CreateFiller<TRow>(IDataView view)
        where TRow : class, new()
    {
        var members = RowMember<TRow>.Discover(writable: true);
        var columns = members.Select(m => ColumnFor(view.Schema, m)).ToArray();
        var cursor = view.GetRowCursor(columns);
        var setters = members.Select((m, i) => m.CreateSetter(cursor, columns[i])).ToArray();
        return (cursor, row =>
        {
            foreach (var set in setters)
            {
                set(row);
            }
        }
        );
    }

    private static DataViewSchema.Column ColumnFor<TRow>(DataViewSchema schema, RowMember<TRow> member)
        where TRow : class
    {
        var column = schema[member.Name];
        if (column.Type.RawType != member.Type.RawType)
        {
            var expected = member.Type is VectorDataViewType vector ? $"a vector of {vector.ItemType}" : member.Type.ToString();
            throw SchemaMismatchException.WrongType(column, expected, $"member '{member.Name}' of {typeof(TRow).Name}");
        }

        return column;
    }

    private static IEnumerable<TRow> Enumerate<TRow>(IDataView view)
        where TRow : class, new()
    {
        var (cursor, fill) = CreateFiller<TRow>(view);
        while (cursor.MoveNext())
        {
            var row = new TRow();
            fill(row);
            yield return row;
        }
    }
}
