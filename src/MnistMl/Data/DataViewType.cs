namespace MnistMl.Data;

/// <summary>
/// The type of a data view column: a <see cref="NumberDataViewType"/> scalar, a
/// <see cref="VectorDataViewType"/> of numbers, <see cref="TextDataViewType"/> text, or a decoded
/// picture of <see cref="ImageDataViewType"/>.
/// </summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    private protected DataViewType(Type rawType)
    {
        RawType = rawType;
    }

    /// <summary>
    /// The CLR type a column of this type is read as: the <c>TValue</c> of its
    /// <see cref="ValueGetter{TValue}"/> (<see cref="byte"/> for a Byte scalar,
    /// <see cref="ReadOnlyMemory{T}"/> of <see cref="byte"/> for a Byte vector).
    /// </summary>
    public Type RawType { get; }

    /// <summary>Whether <paramref name="other"/> describes the same type.</summary>
    public abstract bool Equals(DataViewType? other);

    /// <inheritdoc/>
    public sealed override bool Equals(object? obj) => obj is DataViewType other && Equals(other);

    /// <inheritdoc/>
    public abstract override int GetHashCode();

    /// <summary>The type as error messages and previews write it: <c>Byte</c>, <c>Vector&lt;Single, 28, 28, 1&gt;</c>.</summary>
    public abstract override string ToString();

    /// <summary>Names a CLR type the way C# writes it (<c>ReadOnlyMemory&lt;Byte&gt;</c>), for error messages.</summary>
    internal static string FormatClrType(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(FormatClrType))}>";
    }
}
