namespace MnistMl.Data;

/// <summary>
/// A numeric scalar type. There is one instance per CLR number type, so instances compare by
/// reference; <see cref="object.ToString"/> gives the CLR name (<c>Byte</c>, <c>Single</c>).
/// </summary>
public sealed class NumberDataViewType : DataViewType
{
    private NumberDataViewType(Type rawType, bool isInteger)
        : base(rawType)
    {
        IsInteger = isInteger;
    }

    /// <summary>Unsigned 8-bit integers: MNIST's pixels and labels.</summary>
    public static NumberDataViewType Byte { get; } = new(typeof(byte), isInteger: true);

    /// <summary>Signed 8-bit integers.</summary>
    public static NumberDataViewType SByte { get; } = new(typeof(sbyte), isInteger: true);

    /// <summary>Signed 16-bit integers.</summary>
    public static NumberDataViewType Int16 { get; } = new(typeof(short), isInteger: true);

    /// <summary>Unsigned 16-bit integers.</summary>
    public static NumberDataViewType UInt16 { get; } = new(typeof(ushort), isInteger: true);

    /// <summary>Signed 32-bit integers.</summary>
    public static NumberDataViewType Int32 { get; } = new(typeof(int), isInteger: true);

    /// <summary>Unsigned 32-bit integers.</summary>
    public static NumberDataViewType UInt32 { get; } = new(typeof(uint), isInteger: true);

    /// <summary>Signed 64-bit integers.</summary>
    public static NumberDataViewType Int64 { get; } = new(typeof(long), isInteger: true);

    /// <summary>Unsigned 64-bit integers.</summary>
    public static NumberDataViewType UInt64 { get; } = new(typeof(ulong), isInteger: true);

    /// <summary>32-bit floats: what the engine computes with.</summary>
    public static NumberDataViewType Single { get; } = new(typeof(float), isInteger: false);

    /// <summary>64-bit floats.</summary>
    public static NumberDataViewType Double { get; } = new(typeof(double), isInteger: false);

    /// <summary>Whether this is one of the integer types (labels and class indices must be).</summary>
    internal bool IsInteger { get; }

    /// <summary>The integer types, in the order error messages list them.</summary>
    internal static IReadOnlyList<NumberDataViewType> IntegerTypes { get; } = [Byte, SByte, Int16, UInt16, Int32, UInt32, Int64, UInt64];

    private static NumberDataViewType[] All { get; } = [.. IntegerTypes, Single, Double];

    /// <summary>The type whose <see cref="DataViewType.RawType"/> is <paramref name="clrType"/>, or null if it is not a number type.</summary>
    internal static NumberDataViewType? FromClrType(Type clrType) => Array.Find(All, t => t.RawType == clrType);

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => RawType.Name;
}
