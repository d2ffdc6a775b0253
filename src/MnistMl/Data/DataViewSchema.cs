using System.Collections;

namespace MnistMl.Data;

/// <summary>
/// The ordered, named, typed columns of a data view. Names are unique and case-sensitive; a
/// transform that writes a column of an existing name replaces it in place.
/// </summary>
public sealed class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] _columns;

    internal DataViewSchema(IEnumerable<(string Name, DataViewType Type)> columns)
    {
        _columns = [.. columns.Select((c, i) => new Column(c.Name, i, c.Type))];
        var duplicate = _columns.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Column '{duplicate.Key}' appears more than once.", nameof(columns));
        }
    }

    /// <summary>Number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="index"/>.</summary>
    public Column this[int index] => _columns[index];

    /// <summary>The column named <paramref name="name"/>.</summary>
    /// <exception cref="SchemaMismatchException">There is no such column; the message lists the columns there are.</exception>
    public Column this[string name] => GetColumnOrNull(name) ?? throw SchemaMismatchException.MissingColumn(name, this);

    /// <summary>The column named <paramref name="name"/>, or null if there is none.</summary>
    public Column? GetColumnOrNull(string name) => Array.Find(_columns, c => c.Name == name);

    /// <inheritdoc/>
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The columns as <c>Name: Type</c>, comma-separated.</summary>
    public override string ToString() => string.Join(", ", _columns.Select(c => c.ToString()));

    /// <summary>
    /// This schema with a column <paramref name="name"/> of <paramref name="type"/>: replacing the
    /// column of that name at its index, or appended. Other columns keep their indices, so a
    /// transform can pass their getters through unchanged.
    /// </summary>
    internal DataViewSchema WithColumn(string name, DataViewType type)
    {
        var columns = _columns.Select(c => (c.Name, c.Name == name ? type : c.Type));
        return new(GetColumnOrNull(name) is null ? columns.Append((name, type)) : columns);
    }

    /// <summary>This schema's own column for <paramref name="column"/>, which may come from an equal schema.</summary>
    /// <exception cref="SchemaMismatchException"><paramref name="column"/> is not a column of this schema.</exception>
    internal Column Resolve(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.Index < _columns.Length && _columns[column.Index] is var own && own.Name == column.Name && own.Type.Equals(column.Type))
        {
            return own;
        }

        throw new SchemaMismatchException(
            column.Name, $"Column '{column}' (index {column.Index}) is not a column of this view, whose columns are: {this}.");
    }

    /// <summary>One column: its name, position and type.</summary>
    public sealed class Column
    {
        internal Column(string name, int index, DataViewType type)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
            ArgumentNullException.ThrowIfNull(type);
            Name = name;
            Index = index;
            Type = type;
        }

        /// <summary>The column's name.</summary>
        public string Name { get; }

        /// <summary>The column's position in its schema.</summary>
        public int Index { get; }

        /// <summary>The column's type.</summary>
        public DataViewType Type { get; }

        /// <summary>The column as <c>Name: Type</c>.</summary>
        public override string ToString() => $"{Name}: {Type}";
    }
}
