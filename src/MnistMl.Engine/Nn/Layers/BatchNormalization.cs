using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using MnistMl.Nn.Kernels;

namespace MnistMl.Nn;

/// <summary>
/// Normalises each channel (the last axis) to zero mean and unit variance over the batch in
/// training, and with moving averages in inference, then scales by gamma and shifts by beta.
/// Keras's defaults: momentum 0.99, epsilon 0.001, gamma ones, beta zeros.
/// </summary>
public sealed class BatchNormalization : Layer
{
    internal BatchNormalization(double momentum, double epsilon, string? name)
        : base(name)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1).");
        }

        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive.");
        }

        Momentum = momentum;
        Epsilon = epsilon;
    }

    /// <summary>Weight of the old value in the moving averages.</summary>
    public double Momentum { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override string TypeName => "BatchNormalization";

    internal override string DefaultNamePrefix => "batch_normalization";

    internal override LayerOp<T> CreateOp<T>(int[] inputShape, RandomSource random, long seed) =>
        new BatchNormalizationOp<T>(inputShape, Momentum, Epsilon);

    internal override int[] ComputeOutputShape(int[] inputShape) => [.. inputShape];

    internal override IReadOnlyList<(string Name, int[] Shape)> ComputeWeightShapes(int[] inputShape) =>
        [("gamma", [inputShape[^1]]), ("beta", [inputShape[^1]]), ("moving_mean", [inputShape[^1]]), ("moving_variance", [inputShape[^1]])];

    internal override IReadOnlyDictionary<string, object> GetConfig() =>
        new Dictionary<string, object> { ["momentum"] = Momentum, ["epsilon"] = Epsilon };
}

/// <summary>
/// Statistics are summed row by row in order (one row = one pixel's channels), so they are
/// deterministic: each channel's sum runs down the rows in one chain, several channels a vector
/// at a time, over tiles of rows that stay in cache. The element-wise work (normalising, the
/// input gradient) runs in blocks of rows on the worker pool; every element is computed alone,
/// so neither the blocks nor the threads change a bit (BatchNormalizationKernelTests).
/// Backward: dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)).
/// </summary>
internal sealed class BatchNormalizationOp<T> : LayerOp<T>, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows per block of element-wise work: long enough for the vector loops, short enough to stay in cache.</summary>
    private const int BlockRows = 256;

    /// <summary>Rows per tile of a reduction: every channel's chain advances over a tile while it is in the first-level cache.</summary>
    private const int TileRows = 32;

    [ThreadStatic]
    private static T[]? _term;

    private readonly int _channels;
    private readonly T _momentum;
    private readonly T _epsilon;
    private readonly ParameterBuffer<T> _gamma;
    private readonly ParameterBuffer<T> _beta;
    private readonly ParameterBuffer<T> _movingMean;
    private readonly ParameterBuffer<T> _movingVariance;
    private readonly T[] _mean;
    private readonly T[] _inverseStd;
    private T[]? _normalized;
    private T[]? _output;
    private bool _trainingStatistics;

    // Per-channel values repeated over a block of rows, reused from batch to batch.
    private T[]? _meanRows;
    private T[]? _inverseStdRows;
    private T[]? _gammaRows;
    private T[]? _betaRows;
    private T[]? _scaleRows;
    private T[]? _meanGradientRows;
    private T[]? _dGammaRows;
    private T[]? _scale;
    private T[]? _meanGradient;

    // The element-wise pass the worker pool is running, over _values (and _source) of _length values.
    private Pass _pass;
    private T[] _values = [];
    private T[] _source = [];
    private int _length;
    private T _count;

    public BatchNormalizationOp(int[] shape, double momentum, double epsilon)
        : base(shape, shape)
    {
        _channels = shape[^1];
        _momentum = T.CreateChecked(momentum);
        _epsilon = T.CreateChecked(epsilon);
        _gamma = new ParameterBuffer<T>("gamma", [_channels]);
        _beta = new ParameterBuffer<T>("beta", [_channels]);
        _movingMean = new ParameterBuffer<T>("moving_mean", [_channels]);
        _movingVariance = new ParameterBuffer<T>("moving_variance", [_channels]);
        _gamma.Value.AsSpan().Fill(T.One);
        _movingVariance.Value.AsSpan().Fill(T.One);
        _mean = new T[_channels];
        _inverseStd = new T[_channels];
        Parameters = [_gamma, _beta];
        State = [_movingMean, _movingVariance];
    }

    private enum Pass
    {
        Normalize,
        ScaleGradient,
        InputGradient,
    }

    private enum Reduction
    {
        Sum,
        SquaredDeviation,
        SumAndProduct,
    }

    public override IReadOnlyList<ParameterBuffer<T>> Parameters { get; }

    public override IReadOnlyList<ParameterBuffer<T>> State { get; }

    public override T[] Forward(T[] input, int batch, bool training)
    {
        // Channels are the last axis: row r holds channel c at r·C + c.
        var n = batch * InputSize;
        var rows = n / _channels;
        var x = input.AsSpan(0, n);
        var output = Ensure(ref _output, n);
        Ensure(ref _normalized, n);
        _trainingStatistics = training;
        if (training)
        {
            var count = T.CreateChecked(rows);
            var mean = _mean.AsSpan();
            mean.Clear();
            Reduce(x, default, default, rows, mean, default, Reduction.Sum);
            TensorPrimitives.Divide(mean, count, mean);
            Span<T> variance = _inverseStd;
            variance.Clear();
            Reduce(x, default, mean, rows, variance, default, Reduction.SquaredDeviation);
            var keep = _momentum;
            var take = T.One - _momentum;
            for (var c = 0; c < _channels; c++)
            {
                var v = variance[c] / count;
                _movingMean.Value[c] = (_movingMean.Value[c] * keep) + (_mean[c] * take);
                _movingVariance.Value[c] = (_movingVariance.Value[c] * keep) + (v * take);
                _inverseStd[c] = T.One / T.Sqrt(v + _epsilon);
            }
        }
        else
        {
            for (var c = 0; c < _channels; c++)
            {
                _mean[c] = _movingMean.Value[c];
                _inverseStd[c] = T.One / T.Sqrt(_movingVariance.Value[c] + _epsilon);
            }
        }

        Repeat(_mean, ref _meanRows);
        Repeat(_inverseStd, ref _inverseStdRows);
        Repeat(_gamma.Value, ref _gammaRows);
        Repeat(_beta.Value, ref _betaRows);
        RunBlocks(Pass.Normalize, output, input, n);
        return output;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        var n = batch * InputSize;
        var rows = n / _channels;
        var dGamma = _gamma.Gradient.AsSpan();
        var dBeta = _beta.Gradient.AsSpan();
        dGamma.Clear();
        dBeta.Clear();
        Reduce(outputGradient.AsSpan(0, n), _normalized.AsSpan(0, n), default, rows, dBeta, dGamma, Reduction.SumAndProduct);
        if (SkipInputGradient)
        {
            return [];
        }

        // dy is overwritten in place by dx: each element is read before it is written. With the
        // moving statistics the mean and variance are constants, so only the scale remains:
        // dx = γ/σ · (dy − dβ/m − x̂·dγ/m), or γ/σ · dy.
        _count = T.CreateChecked(rows);
        var scale = Ensure(ref _scale, _channels).AsSpan(0, _channels);
        TensorPrimitives.Multiply(_gamma.Value, _inverseStd, scale);
        Repeat(scale, ref _scaleRows);
        if (!_trainingStatistics)
        {
            RunBlocks(Pass.ScaleGradient, outputGradient, outputGradient, n);
            return outputGradient;
        }

        var meanGradient = Ensure(ref _meanGradient, _channels).AsSpan(0, _channels);
        TensorPrimitives.Divide(dBeta, _count, meanGradient);
        Repeat(meanGradient, ref _meanGradientRows);
        Repeat(_gamma.Gradient, ref _dGammaRows);
        RunBlocks(Pass.InputGradient, outputGradient, _normalized!, n);
        return outputGradient;
    }

    /// <summary>One block of rows of the element-wise pass in progress.</summary>
    public void Invoke(int index)
    {
        var start = index * BlockRows * _channels;
        var length = Math.Min(BlockRows * _channels, _length - start);
        var values = _values.AsSpan(start, length);
        switch (_pass)
        {
            case Pass.Normalize:
                var xHat = _normalized.AsSpan(start, length);
                TensorPrimitives.Subtract(_source.AsSpan(start, length), _meanRows.AsSpan(0, length), xHat);
                TensorPrimitives.Multiply(xHat, _inverseStdRows.AsSpan(0, length), xHat);
                TensorPrimitives.MultiplyAdd(xHat, _gammaRows.AsSpan(0, length), _betaRows.AsSpan(0, length), values);
                break;
            case Pass.ScaleGradient:
                TensorPrimitives.Multiply(_scaleRows.AsSpan(0, length), values, values);
                break;
            case Pass.InputGradient:
                // term = x̂·dγ/m needs a buffer of its own (dx overwrites dy): one per thread.
                var term = Ensure(ref _term, length).AsSpan(0, length);
                TensorPrimitives.Multiply(_source.AsSpan(start, length), _dGammaRows.AsSpan(0, length), term);
                TensorPrimitives.Divide(term, _count, term);
                TensorPrimitives.Subtract(values, _meanGradientRows.AsSpan(0, length), values);
                TensorPrimitives.Subtract(values, term, values);
                TensorPrimitives.Multiply(_scaleRows.AsSpan(0, length), values, values);
                break;
        }
    }

    /// <summary>Runs <paramref name="pass"/> over the first <paramref name="length"/> values, a block of rows per index.</summary>
    private void RunBlocks(Pass pass, T[] values, T[] source, int length)
    {
        (_pass, _values, _source, _length) = (pass, values, source, length);
        var block = BlockRows * _channels;
        WorkerPool.Shared.Run((length + block - 1) / block, this);
        (_values, _source) = ([], []);
    }

    /// <summary>
    /// Per-channel sums down the rows, one chain per channel (and sum) in row order, exactly as a
    /// loop adding one row at a time: of <paramref name="a"/> (<see cref="Reduction.Sum"/>), of
    /// <c>(a − mean)²</c> (the difference rounded, then squared, then added), or of
    /// <paramref name="a"/> into <paramref name="sums"/> and <c>a · b</c> into
    /// <paramref name="products"/> in one pass (multiplies and adds never fused).
    /// </summary>
    private void Reduce(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> mean, int rows, Span<T> sums, Span<T> products, Reduction reduction)
    {
        var width = Vector<T>.Count;
        var vectorChannels = _channels - (_channels % width);
        ref var aStart = ref MemoryMarshal.GetReference(a);
        ref var bStart = ref MemoryMarshal.GetReference(b);
        for (var first = 0; first < rows; first += TileRows)
        {
            var end = Math.Min(rows, first + TileRows);
            for (var c = 0; c < vectorChannels; c += width)
            {
                var sum = new Vector<T>(sums[c..]);
                if (reduction == Reduction.SumAndProduct)
                {
                    var product = new Vector<T>(products[c..]);
                    for (var r = first; r < end; r++)
                    {
                        var at = (nuint)((r * _channels) + c);
                        var value = Vector.LoadUnsafe(ref aStart, at);
                        sum += value;
                        product += value * Vector.LoadUnsafe(ref bStart, at);
                    }

                    product.CopyTo(products[c..]);
                }
                else
                {
                    var m = reduction == Reduction.SquaredDeviation ? new Vector<T>(mean[c..]) : default;
                    for (var r = first; r < end; r++)
                    {
                        var value = Vector.LoadUnsafe(ref aStart, (nuint)((r * _channels) + c));
                        sum += reduction == Reduction.Sum ? value : (value - m) * (value - m);
                    }
                }

                sum.CopyTo(sums[c..]);
            }

            for (var c = vectorChannels; c < _channels; c++)
            {
                for (var r = first; r < end; r++)
                {
                    var value = a[(r * _channels) + c];
                    switch (reduction)
                    {
                        case Reduction.Sum:
                            sums[c] += value;
                            break;
                        case Reduction.SquaredDeviation:
                            sums[c] += (value - mean[c]) * (value - mean[c]);
                            break;
                        default:
                            sums[c] += value;
                            products[c] += value * b[(r * _channels) + c];
                            break;
                    }
                }
            }
        }
    }

    /// <summary><paramref name="perChannel"/> repeated for <see cref="BlockRows"/> rows, in <paramref name="buffer"/> (made once).</summary>
    private void Repeat(ReadOnlySpan<T> perChannel, ref T[]? buffer)
    {
        var rows = Ensure(ref buffer, BlockRows * _channels);
        for (var r = 0; r < BlockRows; r++)
        {
            perChannel.CopyTo(rows.AsSpan(r * _channels, _channels));
        }
    }
}
