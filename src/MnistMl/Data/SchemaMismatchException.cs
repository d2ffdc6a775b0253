namespace MnistMl.Data;

/// <summary>
/// A data view does not have the column an operation needs, or the column has another type than
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

    internal static SchemaMismatchException MissingColumn(string columnName, DataViewSchema schema)
    {
        var sameIgnoringCase = schema.FirstOrDefault(c => string.Equals(c.Name, columnName, StringComparison.OrdinalIgnoreCase));
        var hint = sameIgnoringCase is null ? "" : $" Names are case-sensitive: did you mean '{sameIgnoringCase.Name}'?";
        var columns = schema.Count == 0 ? "none" : schema.ToString();
        return new(columnName, $"There is no column '{columnName}'. The columns are: {columns}.{hint}");
    }

    internal static SchemaMismatchException WrongType(DataViewSchema.Column column, string expected, string neededBy) =>
        new(column.Name, $"Column '{column.Name}' has type {column.Type}, but {neededBy} needs {expected}.");
}
