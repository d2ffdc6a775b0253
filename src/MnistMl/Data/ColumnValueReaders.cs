using System.Numerics;
using System.Numerics.Tensors;
using System.Reflection;

namespace MnistMl.Data;

/// <summary>Writes the current row's vector, converted to <see cref="float"/>, into <paramref name="destination"/>.</summary>
internal delegate void SingleVectorWriter(Span<float> destination);

/// <summary>
/// Reads columns whatever their storage type, as the consumers that compute need them: pixel
/// vectors as floats (bytes converted as they are, 0–255) and labels as <see cref="long"/>.
/// Shared by the transforms and the batch source so the conversions exist once.
/// </summary>
internal static class ColumnValueReaders
{
    /// <summary>Whether <paramref name="type"/> is a fixed-size vector of Byte or Single, which <see cref="CreateSingleVectorWriter"/> reads.</summary>
    public static bool IsByteOrSingleVector(DataViewType type) =>
        type is VectorDataViewType { IsKnownSize: true } vector
        && (vector.ItemType.Equals(NumberDataViewType.Byte) || vector.ItemType.Equals(NumberDataViewType.Single));

    /// <summary>Whether <paramref name="type"/> is an integer scalar, which <see cref="CreateInt64Getter"/> reads.</summary>
    public static bool IsIntegerScalar(DataViewType type) => type is NumberDataViewType { IsInteger: true };

    /// <summary>The integer types, listed for error messages.</summary>
    public static string IntegerTypeNames => string.Join(", ", NumberDataViewType.IntegerTypes);

    /// <summary>A writer of <paramref name="column"/> (see <see cref="IsByteOrSingleVector"/>) that fills <c>Size</c> floats.</summary>
    public static SingleVectorWriter CreateSingleVectorWriter(RowReader reader, DataViewSchema.Column column)
    {
        if (((VectorDataViewType)column.Type).ItemType.Equals(NumberDataViewType.Byte))
        {
            var bytes = reader.GetGetter<ReadOnlyMemory<byte>>(column);
            return destination =>
            {
                ReadOnlyMemory<byte> value = default;
                bytes(ref value);
                TensorPrimitives.ConvertTruncating(value.Span, destination);
            };
        }

        var floats = reader.GetGetter<ReadOnlyMemory<float>>(column);
        return destination =>
        {
            ReadOnlyMemory<float> value = default;
            floats(ref value);
            value.Span.CopyTo(destination);
        };
    }

    /// <summary>A getter of integer scalar <paramref name="column"/> (see <see cref="IsIntegerScalar"/>) as <see cref="long"/>; values past its range saturate.</summary>
    public static Func<long> CreateInt64Getter(RowReader reader, DataViewSchema.Column column) =>
        (Func<long>)typeof(ColumnValueReaders)
            .GetMethod(nameof(CreateInt64GetterOf), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(column.Type.RawType)
            .Invoke(null, [reader, column])!;

    private static Func<long> CreateInt64GetterOf<TValue>(RowReader reader, DataViewSchema.Column column)
        where TValue : IBinaryInteger<TValue>
    {
        var getter = reader.GetGetter<TValue>(column);
        return () =>
        {
            var value = TValue.Zero;
            getter(ref value);
            return long.CreateSaturating(value);
        };
    }
}
