namespace MnistMl.Data;

/// <summary>
/// Gives an array property or field of a row class the shape of its vector column when the class
/// is loaded with <see cref="DataOperationsCatalog.LoadFromEnumerable{TRow}"/>, e.g.
/// <c>[VectorShape(28, 28)] public byte[] Pixels { get; set; }</c> becomes a Byte
/// <c>[28, 28]</c> column, and every row's array must then hold 784 values. Without it the column
/// is a vector whose size may vary by row, which transforms needing a shape reject
/// (<see cref="Transforms.ImageReshapingEstimator"/> gives one).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class VectorShapeAttribute : Attribute
{
    /// <summary>Declares the shape, outermost dimension first.</summary>
    public VectorShapeAttribute(params int[] dimensions)
    {
        Dimensions = dimensions;
    }

    /// <summary>The shape, outermost dimension first.</summary>
    public IReadOnlyList<int> Dimensions { get; }
}
