using System.Numerics;
using System.Numerics.Tensors;

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
/// deterministic. Backward: dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)).
/// </summary>
internal sealed class BatchNormalizationOp<T> : LayerOp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
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
    private T[]? _rows0;
    private T[]? _rows1;
    private T[]? _rows2;
    private T[]? _rows3;
    private T[]? _scale;
    private T[]? _meanGradient;

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

    public override IReadOnlyList<ParameterBuffer<T>> Parameters { get; }

    public override IReadOnlyList<ParameterBuffer<T>> State { get; }

    public override T[] Forward(T[] input, int batch, bool training)
    {
        // Channels are the last axis: row r holds channel c at r·C + c. Statistics add row after
        // row, as a per-channel loop would, so every element sees the same operations in the same
        // order, only several channels at once; element-wise work runs over blocks of whole rows
        // against per-channel values repeated to the block's length.
        var n = batch * InputSize;
        var rows = n / _channels;
        var x = input.AsSpan(0, n);
        var output = Ensure(ref _output, n);
        var normalized = Ensure(ref _normalized, n);
        _trainingStatistics = training;
        if (training)
        {
            var count = T.CreateChecked(rows);
            var mean = _mean.AsSpan();
            mean.Clear();
            for (var r = 0; r < rows; r++)
            {
                TensorPrimitives.Add(mean, x.Slice(r * _channels, _channels), mean);
            }

            TensorPrimitives.Divide(mean, count, mean);
            Span<T> variance = _inverseStd;
            variance.Clear();
            var deviation = Ensure(ref _rows0, _channels).AsSpan(0, _channels);
            for (var r = 0; r < rows; r++)
            {
                TensorPrimitives.Subtract(x.Slice(r * _channels, _channels), mean, deviation);
                TensorPrimitives.MultiplyAdd(deviation, deviation, variance, variance);
            }

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

        var block = BlockRows * _channels;
        var (meanRows, inverseStdRows, gammaRows, betaRows) = (Repeat(_mean, ref _rows0), Repeat(_inverseStd, ref _rows1), Repeat(_gamma.Value, ref _rows2), Repeat(_beta.Value, ref _rows3));
        for (var start = 0; start < n; start += block)
        {
            var length = Math.Min(block, n - start);
            var xHat = normalized.AsSpan(start, length);
            TensorPrimitives.Subtract(x.Slice(start, length), meanRows.AsSpan(0, length), xHat);
            TensorPrimitives.Multiply(xHat, inverseStdRows.AsSpan(0, length), xHat);
            TensorPrimitives.MultiplyAdd(xHat, gammaRows.AsSpan(0, length), betaRows.AsSpan(0, length), output.AsSpan(start, length));
        }

        return output;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        var n = batch * InputSize;
        var rows = n / _channels;
        var dy = outputGradient.AsSpan(0, n);
        var xHat = _normalized.AsSpan(0, n);
        var dGamma = _gamma.Gradient.AsSpan();
        var dBeta = _beta.Gradient.AsSpan();
        dGamma.Clear();
        dBeta.Clear();
        for (var r = 0; r < rows; r++)
        {
            var row = dy.Slice(r * _channels, _channels);
            TensorPrimitives.Add(dBeta, row, dBeta);
            TensorPrimitives.MultiplyAdd(row, xHat.Slice(r * _channels, _channels), dGamma, dGamma);
        }

        if (SkipInputGradient)
        {
            return [];
        }

        // dy is overwritten in place by dx: each element is read before it is written. With the
        // moving statistics the mean and variance are constants, so only the scale remains:
        // dx = γ/σ · (dy − dβ/m − x̂·dγ/m), or γ/σ · dy.
        var count = T.CreateChecked(rows);
        var scale = Ensure(ref _scale, _channels).AsSpan(0, _channels);
        TensorPrimitives.Multiply(_gamma.Value, _inverseStd, scale);
        var scaleRows = Repeat(scale, ref _rows0);
        var block = BlockRows * _channels;
        if (!_trainingStatistics)
        {
            for (var start = 0; start < n; start += block)
            {
                var length = Math.Min(block, n - start);
                TensorPrimitives.Multiply(scaleRows.AsSpan(0, length), dy.Slice(start, length), dy.Slice(start, length));
            }

            return outputGradient;
        }

        var meanGradient = Ensure(ref _meanGradient, _channels).AsSpan(0, _channels);
        TensorPrimitives.Divide(dBeta, count, meanGradient);
        var (meanGradientRows, dGammaRows) = (Repeat(meanGradient, ref _rows1), Repeat(_gamma.Gradient, ref _rows2));
        var term = Ensure(ref _rows3, block);
        for (var start = 0; start < n; start += block)
        {
            var length = Math.Min(block, n - start);
            var g = dy.Slice(start, length);
            var t = term.AsSpan(0, length);
            TensorPrimitives.Multiply(xHat.Slice(start, length), dGammaRows.AsSpan(0, length), t);
            TensorPrimitives.Divide(t, count, t);
            TensorPrimitives.Subtract(g, meanGradientRows.AsSpan(0, length), g);
            TensorPrimitives.Subtract(g, t, g);
            TensorPrimitives.Multiply(scaleRows.AsSpan(0, length), g, g);
        }

        return outputGradient;
    }

    /// <summary>Rows per block of element-wise work: long enough for the vector loops, short enough to stay in cache.</summary>
    private const int BlockRows = 256;

    /// <summary><paramref name="perChannel"/> repeated for <see cref="BlockRows"/> rows, in <paramref name="buffer"/> (made once).</summary>
    private T[] Repeat(ReadOnlySpan<T> perChannel, ref T[]? buffer)
    {
        var rows = Ensure(ref buffer, BlockRows * _channels);
        for (var r = 0; r < BlockRows; r++)
        {
            perChannel.CopyTo(rows.AsSpan(r * _channels, _channels));
        }

        return rows;
    }
}
