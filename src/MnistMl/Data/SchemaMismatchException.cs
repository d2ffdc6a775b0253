namespace MnistMl.Data;

/// <summary>
/// An ML.NET data view does not have the column an operation needs, or the column has another type than
/// the one needed. The message names the column, the type expected and the type found (or the
/// columns that do exist).
/// </summary>
public sealed class SchemaMismatchException : MnistMlException
{
    /// <summary>Creates the exception for <paramref name="columnName"/>.</summary>
    public SchemaMismatchException(string columnName, string message)
        : base(message)
    {
        ColumnName = columnName;
    }

    /// <summary>The column that is missing or has the wrong type.</summary>
    public string ColumnName { get; }

    /// <summary>The <paramref name="role"/> column is not among <paramref name="columns"/> (listed in the message).</summary>
    internal static SchemaMismatchException MissingColumn(string columnName, string role, IEnumerable<string> columns) =>
        new(columnName, $"The {role} column '{columnName}' is not in the data; its columns are: {string.Join(", ", columns)}.");
}
