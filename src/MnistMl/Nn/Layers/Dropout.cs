using System.Numerics;

namespace MnistMl.Nn;

/// <summary>
/// Inverted dropout: in training, each value is zeroed with probability <see cref="Rate"/> and the
/// rest scaled by <c>1 / (1 − rate)</c>; in inference it passes values through unchanged.
/// </summary>
public sealed class Dropout : Layer
{
    internal Dropout(double rate, string? name)
        : base(name)
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        }

        Rate = rate;
    }

    /// <summary>Fraction of values dropped in training.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public override string TypeName => "Dropout";

    internal override string DefaultNamePrefix => "dropout";

    internal override LayerOp<T> CreateOp<T>(int[] inputShape, RandomSource random, long seed) =>
        new DropoutOp<T>(inputShape, Rate, new RandomSource(seed, (ulong)random.NextUInt64()));

    internal override int[] ComputeOutputShape(int[] inputShape) => [.. inputShape];

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object> { ["rate"] = Rate };
}

/// <summary>The mask is drawn in sample order from the layer's own random stream, so it is the same for any thread count.</summary>
internal sealed class DropoutOp<T> : LayerOp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _rate;
    private readonly T _scale;
    private readonly RandomSource _random;
    private T[]? _mask;
    private T[]? _output;
    private bool _active;

    public DropoutOp(int[] shape, double rate, RandomSource random)
        : base(shape, shape)
    {
        _rate = rate;
        _scale = T.One / (T.One - T.CreateChecked(rate));
        _random = random;
    }

    public override T[] Forward(T[] input, int batch, bool training)
    {
        _active = training && _rate > 0;
        if (!_active)
        {
            return input;
        }

        var n = batch * InputSize;
        var mask = Ensure(ref _mask, n);
        var output = Ensure(ref _output, n);

        // Two decisions per 64 random bits: each 32-bit half is below rate·2³² with probability rate.
        var threshold = (uint)Math.Min(_rate * 4294967296.0, uint.MaxValue);
        for (var i = 0; i < n; i += 2)
        {
            var bits = _random.NextUInt64();
            mask[i] = (uint)bits < threshold ? T.Zero : _scale;
            if (i + 1 < n)
            {
                mask[i + 1] = (uint)(bits >> 32) < threshold ? T.Zero : _scale;
            }
        }

        System.Numerics.Tensors.TensorPrimitives.Multiply(input.AsSpan(0, n), mask.AsSpan(0, n), output.AsSpan(0, n));
        return output;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        if (_active)
        {
            var n = batch * InputSize;
            System.Numerics.Tensors.TensorPrimitives.Multiply(
                outputGradient.AsSpan(0, n), _mask.AsSpan(0, n), outputGradient.AsSpan(0, n));
        }

        return outputGradient;
    }
}
