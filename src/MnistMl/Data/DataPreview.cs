using System.Globalization;
using System.Reflection;
using System.Text;

namespace MnistMl.Data;

/// <summary>
/// The first rows of a view, read into plain values for a person to look at (in a debugger, a
/// notebook or a console): scalars as numbers, vectors as arrays. <see cref="ToString"/> prints
/// one line per row with long vectors abbreviated. Made by <see cref="DataPreviewExtensions.Preview"/>.
/// </summary>
public sealed class DataPreview
{
    /// <summary>How many rows <see cref="DataPreviewExtensions.Preview"/> reads unless told otherwise.</summary>
    public const int DefaultMaxRows = 100;

    /// <summary>How many leading values of a vector <see cref="ToString"/> prints.</summary>
    public const int VectorValuesShown = 10;

    internal DataPreview(IDataView view, int maxRows)
    {
        Schema = view.Schema;
        var cursor = view.GetRowCursor(Schema);
        var readers = Schema.Select(c => CreateValueReader(cursor, c)).ToArray();
        var rows = new List<Row>();
        while (rows.Count < maxRows && cursor.MoveNext())
        {
            rows.Add(new Row(cursor.Position, [.. Schema.Select((c, i) => new KeyValuePair<string, object>(c.Name, readers[i]()))]));
        }

        Rows = rows;
    }

    /// <summary>The view's columns.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>The rows read, in order.</summary>
    public IReadOnlyList<Row> Rows { get; }

    /// <summary>The schema, then one line per row.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Rows.Count} rows of {Schema}");
        foreach (var row in Rows)
        {
            text.AppendLine().Append(row);
        }

        return text.ToString();
    }

    private static Func<object> CreateValueReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var (name, typeArgument) = column.Type is VectorDataViewType vector
            ? (nameof(CreateVectorReader), vector.ItemType.RawType)
            : (nameof(CreateScalarReader), column.Type.RawType);
        return (Func<object>)typeof(DataPreview).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeArgument)
            .Invoke(null, [cursor, column])!;
    }

    private static Func<object> CreateScalarReader<TValue>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<TValue>(column);
        return () =>
        {
            TValue value = default!;
            getter(ref value);
            return value!;
        };
    }

    private static Func<object> CreateVectorReader<TItem>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<ReadOnlyMemory<TItem>>(column);
        return () =>
        {
            ReadOnlyMemory<TItem> value = default;
            getter(ref value);
            return value.ToArray();
        };
    }

    /// <summary>One row: its position and its values by column name, in schema order.</summary>
    public sealed class Row
    {
        internal Row(long position, IReadOnlyList<KeyValuePair<string, object>> values)
        {
            Position = position;
            Values = values;
        }

        /// <summary>The row's position in the view.</summary>
        public long Position { get; }

        /// <summary>Column name → value: the number for a scalar column, an array for a vector column.</summary>
        public IReadOnlyList<KeyValuePair<string, object>> Values { get; }

        /// <summary>The row as <c>[position] Name: value | Name: [v0, v1, … (n values)]</c>.</summary>
        public override string ToString() =>
            $"[{Position}] " + string.Join(" | ", Values.Select(v => $"{v.Key}: {Format(v.Value)}"));

        private static string Format(object value)
        {
            if (value is not Array array)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0}", value);
            }

            var shown = array.Cast<object>().Take(VectorValuesShown).Select(v => string.Format(CultureInfo.InvariantCulture, "{0}", v));
            return array.Length <= VectorValuesShown
                ? $"[{string.Join(", ", shown)}]"
                : $"[{string.Join(", ", shown)}, … ({array.Length} values)]";
        }
    }
}
