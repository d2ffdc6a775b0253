using System.Numerics;

namespace MnistMl.Nn;

/// <summary>Flattens each sample to one dimension (row-major, so channels-last order as in Keras). No copy.</summary>
public sealed class Flatten : Layer
{
    internal Flatten(string? name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override string TypeName => "Flatten";

    internal override string DefaultNamePrefix => "flatten";

    internal override LayerOp<T> CreateOp<T>(int[] inputShape, RandomSource random, long seed) => new FlattenOp<T>(inputShape);

    internal override int[] ComputeOutputShape(int[] inputShape) => [Shapes.Product(inputShape)];

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>();
}

/// <summary>Batch-first row-major buffers are already flat: both passes hand the buffer on.</summary>
internal sealed class FlattenOp<T>(int[] inputShape) : LayerOp<T>(inputShape, [Shapes.Product(inputShape)])
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override T[] Forward(T[] input, int batch, bool training) => input;

    public override T[] Backward(T[] outputGradient, int batch) => outputGradient;
}
