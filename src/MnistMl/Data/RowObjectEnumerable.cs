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
        var members = RowMember<TRow>.Discover(writable: true);
        var columns = members.Select(m => ColumnFor(view.Schema, m)).ToArray();
        return Enumerate(view, members, columns);
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

    private static IEnumerable<TRow> Enumerate<TRow>(IDataView view, IReadOnlyList<RowMember<TRow>> members, DataViewSchema.Column[] columns)
        where TRow : class, new()
    {
        var cursor = view.GetRowCursor(columns);
        var setters = members.Select((m, i) => m.CreateSetter(cursor, columns[i])).ToArray();
        while (cursor.MoveNext())
        {
            var row = new TRow();
            foreach (var set in setters)
            {
                set(row);
            }

            yield return row;
        }
    }
}
