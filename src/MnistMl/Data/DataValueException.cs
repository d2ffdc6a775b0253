namespace MnistMl.Data;

/// <summary>
/// A row of a data view holds a value that the operation reading it cannot accept: a label that
/// is not a class, a vector of the wrong length, a column whose values cannot be standardised.
/// Views are lazy, so this surfaces when the row is read, not when the view is built.
/// </summary>
public sealed class DataValueException : MnistMlException
{
    /// <summary>Creates the exception for the value of <paramref name="columnName"/> in row <paramref name="row"/>.</summary>
    public DataValueException(string columnName, long row, string reason)
        : base(row < 0 ? $"Column '{columnName}': {reason}" : $"Row {row}, column '{columnName}': {reason}")
    {
        ColumnName = columnName;
        Row = row;
        Reason = reason;
    }

    /// <summary>The column the value is in.</summary>
    public string ColumnName { get; }

    /// <summary>The row's position in the view that was read, or -1 when the problem concerns the whole column.</summary>
    public long Row { get; }

    /// <summary>What is wrong with the value, in one sentence.</summary>
    public string Reason { get; }
}
