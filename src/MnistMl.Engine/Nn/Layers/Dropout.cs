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

/// <summary>
/// Each mask value is a pure function of the layer's key, the training step and the element's
/// position (<see cref="RandomSource.Hash"/>), so samples are masked in parallel and the mask is
/// the same for any thread count.
/// </summary>
internal sealed class DropoutOp<T> : LayerOp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _rate;
    private readonly T _scale;
    private readonly ulong _key;
    private readonly uint _threshold;
    private readonly MaskJob _maskJob;
    private ulong _step;

    /// <summary>Training forward passes so far: with the key, it fixes the next masks (saved to resume a run).</summary>
    internal ulong Step
    {
        get => _step;
        set => _step = value;
    }
    private T[] _input = [];
    private T[]? _mask;
    private T[]? _output;
    private bool _active;

    public DropoutOp(int[] shape, double rate, RandomSource random)
        : base(shape, shape)
    {
        _rate = rate;
        _scale = T.One / (T.One - T.CreateChecked(rate));
        _key = random.NextUInt64();

        // A 32-bit draw is below rate·2³² with probability rate: two decisions per 64 bits.
        _threshold = (uint)Math.Min(rate * 4294967296.0, uint.MaxValue);
        _maskJob = new MaskJob(this);
    }

    public override T[] Forward(T[] input, int batch, bool training)
    {
        _active = training && _rate > 0;
        if (!_active)
        {
            return input;
        }

        var n = batch * InputSize;
        Ensure(ref _mask, n);
        var output = Ensure(ref _output, n);
        _input = input;
        _step++;
        _maskJob.Run(batch);
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

    private sealed class MaskJob(DropoutOp<T> op) : Kernels.PerSampleJob
    {
        public override void Invoke(int index)
        {
            var size = op.InputSize;
            var start = index * size;
            var mask = op._mask.AsSpan(start, size);
            var wordsPerSample = (ulong)((size + 1) / 2);
            Kernels.DropoutMask.Fill(mask, op._key + op._step, (ulong)index * wordsPerSample, op._threshold, op._scale);
            System.Numerics.Tensors.TensorPrimitives.Multiply(op._input.AsSpan(start, size), mask, op._output.AsSpan(start, size));
        }
    }
}
