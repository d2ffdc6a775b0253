namespace MnistMl.Nn;

/// <summary>
/// A dense float32 array with a shape, row-major (the last dimension varies fastest); for batches
/// the first dimension is the sample. Used for model inputs, targets, predictions and weights.
/// </summary>
public sealed class Tensor
{
    /// <summary>Creates a tensor of zeros.</summary>
    public Tensor(params int[] shape)
        : this(shape, new float[Shapes.Product(shape)], copy: false)
    {
    }

    /// <summary>Creates a tensor holding a copy of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The number of values is not the product of the shape.</exception>
    public Tensor(IReadOnlyList<int> shape, ReadOnlySpan<float> values)
        : this([.. shape], values.ToArray(), copy: false)
    {
    }

    private Tensor(int[] shape, float[] data, bool copy)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0)
        {
            throw new ArgumentException("A tensor needs at least one dimension.", nameof(shape));
        }

        var size = Shapes.Product(shape);
        if (data.Length != size)
        {
            throw new ArgumentException($"Shape {Shapes.Format(shape)} holds {size} values, not {data.Length}.", nameof(shape));
        }

        Shape = (int[])shape.Clone();
        Data = copy ? (float[])data.Clone() : data;
    }

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Count;

    /// <summary>Number of values.</summary>
    public int Length => Data.Length;

    /// <summary>The values, row-major. Writable: the tensor does not copy on access.</summary>
    public float[] Data { get; }

    /// <summary>Size of one sample: the product of all dimensions but the first.</summary>
    public int SampleSize => Data.Length / Shape[0];

    /// <summary>Wraps <paramref name="data"/> without copying.</summary>
    public static Tensor FromArray(float[] data, params int[] shape) => new(shape, data, copy: false);

    /// <summary>The values of sample <paramref name="index"/> (index along the first dimension).</summary>
    public Span<float> Sample(int index) => Data.AsSpan(index * SampleSize, SampleSize);

    /// <summary>The same values seen with another shape of equal size (no copy).</summary>
    public Tensor Reshape(params int[] shape) => new(shape, Data, copy: false);

    /// <inheritdoc/>
    public override string ToString() => $"Tensor{Shapes.Format([.. Shape])}";
}
