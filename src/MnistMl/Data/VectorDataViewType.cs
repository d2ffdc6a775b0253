using System.Collections.Immutable;

namespace MnistMl.Data;

/// <summary>
/// A vector of numbers with a shape, e.g. Byte <c>[28, 28]</c> for an MNIST image, Single
/// <c>[28, 28, 1]</c> for a network input, Single <c>[10]</c> for a one-hot label. A vector
/// declared without dimensions has a size that may differ from row to row.
/// Read as <see cref="ReadOnlyMemory{T}"/> of the item type, row-major.
/// </summary>
public sealed class VectorDataViewType : DataViewType
{
    /// <summary>Creates the type of vectors of <paramref name="itemType"/> with the given shape.</summary>
    /// <param name="itemType">The type of each element.</param>
    /// <param name="dimensions">The shape, outermost first; none for a vector whose size is not fixed.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    public VectorDataViewType(NumberDataViewType itemType, params int[] dimensions)
        : base(typeof(ReadOnlyMemory<>).MakeGenericType(NotNull(itemType).RawType))
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        var size = dimensions.Length == 0 ? 0 : 1;
        foreach (var dimension in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1, nameof(dimensions));
            size = checked(size * dimension);
        }

        ItemType = itemType;
        Dimensions = [.. dimensions];
        Size = size;
    }

    /// <summary>The type of each element.</summary>
    public NumberDataViewType ItemType { get; }

    /// <summary>The shape, outermost first; empty when the size is not fixed.</summary>
    public ImmutableArray<int> Dimensions { get; }

    /// <summary>Number of elements (the product of <see cref="Dimensions"/>), or 0 when the size is not fixed.</summary>
    public int Size { get; }

    /// <summary>Whether every row's vector has <see cref="Size"/> elements.</summary>
    public bool IsKnownSize => Size > 0;

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) =>
        other is VectorDataViewType vector && vector.ItemType.Equals(ItemType) && vector.Dimensions.SequenceEqual(Dimensions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ItemType, Size, Dimensions.Length);

    /// <summary>The type as ML.NET writes it: <c>Vector&lt;Byte, 28, 28&gt;</c>, or <c>Vector&lt;Single&gt;</c> when the size is not fixed.</summary>
    public override string ToString() =>
        IsKnownSize ? $"Vector<{ItemType}, {string.Join(", ", Dimensions)}>" : $"Vector<{ItemType}>";

    private static NumberDataViewType NotNull(NumberDataViewType itemType)
    {
        ArgumentNullException.ThrowIfNull(itemType);
        return itemType;
    }
}
