namespace MnistMl.Data;

/// <summary>
/// Text, e.g. the path of an image file: a <see cref="string"/> member of a row class loaded with
/// <see cref="DataOperationsCatalog.LoadFromEnumerable{TRow}"/> becomes a column of this type, read
/// with a <see cref="ValueGetter{TValue}"/> of <see cref="string"/>. There is one instance.
/// </summary>
public sealed class TextDataViewType : DataViewType
{
    private TextDataViewType()
        : base(typeof(string))
    {
    }

    /// <summary>The text type.</summary>
    public static TextDataViewType Instance { get; } = new();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => typeof(string).GetHashCode();

    /// <summary><c>String</c>.</summary>
    public override string ToString() => "String";
}
