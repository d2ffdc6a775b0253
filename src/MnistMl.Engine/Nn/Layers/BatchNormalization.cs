using System.Numerics;

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
        var n = batch * InputSize;
        var rows = n / _channels;
        var x = input.AsSpan(0, n);
        var output = Ensure(ref _output, n);
        var normalized = Ensure(ref _normalized, n);
        _trainingStatistics = training;
        if (training)
        {
            var count = T.CreateChecked(rows);
            Array.Clear(_mean);
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < _channels; c++)
                {
                    _mean[c] += x[(r * _channels) + c];
                }
            }

            for (var c = 0; c < _channels; c++)
            {
                _mean[c] /= count;
            }

            Span<T> variance = _inverseStd;
            variance.Clear();
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < _channels; c++)
                {
                    var d = x[(r * _channels) + c] - _mean[c];
                    variance[c] += d * d;
                }
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

        for (var i = 0; i < n; i++)
        {
            var c = i % _channels;
            normalized[i] = (x[i] - _mean[c]) * _inverseStd[c];
            output[i] = (normalized[i] * _gamma.Value[c]) + _beta.Value[c];
        }

        return output;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        var n = batch * InputSize;
        var rows = n / _channels;
        var dy = outputGradient.AsSpan(0, n);
        var xHat = _normalized.AsSpan(0, n);
        var dGamma = _gamma.Gradient;
        var dBeta = _beta.Gradient;
        Array.Clear(dGamma);
        Array.Clear(dBeta);
        for (var i = 0; i < n; i++)
        {
            var c = i % _channels;
            dBeta[c] += dy[i];
            dGamma[c] += dy[i] * xHat[i];
        }

        if (SkipInputGradient)
        {
            return [];
        }

        // dy is overwritten in place by dx: each element is read before it is written. With the
        // moving statistics the mean and variance are constants, so only the scale remains.
        var count = T.CreateChecked(rows);
        for (var i = 0; i < n; i++)
        {
            var c = i % _channels;
            var scale = _gamma.Value[c] * _inverseStd[c];
            dy[i] = _trainingStatistics
                ? scale * (dy[i] - (dBeta[c] / count) - (xHat[i] * dGamma[c] / count))
                : scale * dy[i];
        }

        return outputGradient;
    }
}
