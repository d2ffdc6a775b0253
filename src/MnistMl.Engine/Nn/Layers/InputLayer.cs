namespace MnistMl.Nn;

/// <summary>Declares the shape of one input sample, e.g. (28, 28, 1); the first layer of a <see cref="Sequential"/> model.</summary>
public sealed class InputLayer : Layer
{
    internal InputLayer(int[] shape, string? name)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0)
        {
            throw new ArgumentException("The input shape needs at least one dimension.", nameof(shape));
        }

        _ = Shapes.Product(shape);
        Shape = (int[])shape.Clone();
    }

    /// <summary>The shape of one sample.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <inheritdoc/>
    public override string TypeName => "InputLayer";

    internal override string DefaultNamePrefix => "input_layer";

    internal override LayerOp<T> CreateOp<T>(int[] inputShape, RandomSource random, long seed) =>
        throw new InvalidOperationException("The input layer has no computation.");

    /// <summary>The declared shape, whatever comes in: the input layer is where shapes start.</summary>
    internal override int[] ComputeOutputShape(int[] inputShape) => [.. Shape];

    internal override IReadOnlyDictionary<string, object> GetConfig() =>
        new Dictionary<string, object> { ["shape"] = Shape.ToArray() };
}
