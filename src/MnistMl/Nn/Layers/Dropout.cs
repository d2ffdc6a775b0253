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
    private readonly float _rate;
    private readonly T _scale;
    private readonly RandomSource _random;
    private T[]? _mask;
    private T[]? _output;
    private bool _active;

    public DropoutOp(int[] shape, double rate, RandomSource random)
        : base(shape, shape)
    {
        _rate = (float)rate;
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
        for (var i = 0; i < n; i++)
        {
            mask[i] = _random.NextSingle() < _rate ? T.Zero : _scale;
            output[i] = input[i] * mask[i];
        }

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
