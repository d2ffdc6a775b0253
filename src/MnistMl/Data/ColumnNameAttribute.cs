namespace MnistMl.Data;

/// <summary>
/// Maps a member of a row class to a column of another name, e.g.
/// <c>[ColumnName("PredictedLabel")] public int Digit;</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ColumnNameAttribute(string name) : Attribute
{
    /// <summary>The column's name.</summary>
    public string Name { get; } = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A column needs a name.", nameof(name)) : name;
}
