namespace MnistMl.Data;

/// <summary>
/// The content of one IDX file: its dimensions, its element type and its elements in row-major
/// order (the last dimension varies fastest), exactly as stored.
/// </summary>
public sealed class IdxArray
{
    internal IdxArray(int[] dimensions, IdxElementType elementType, byte[] data)
    {
        Dimensions = dimensions;
        ElementType = elementType;
        Data = data;
    }

    /// <summary>The size of each dimension, outermost first (<c>[60000, 28, 28]</c> for MNIST training images).</summary>
    public int[] Dimensions { get; }

    /// <summary>The element type; always <see cref="IdxElementType.UnsignedByte"/>, the only type <see cref="IdxReader"/> accepts.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The elements, row-major; its length is the product of <see cref="Dimensions"/>.</summary>
    public byte[] Data { get; }

    /// <summary>The dimensions written as in error messages, e.g. <c>60000×28×28</c>.</summary>
    public string Shape => FormatShape(Dimensions);

    internal static string FormatShape(IEnumerable<int> dimensions) => string.Join('×', dimensions);
}
