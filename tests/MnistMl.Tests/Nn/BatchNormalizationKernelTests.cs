using MnistMl.Nn;

namespace MnistMl.Tests.Nn;

/// <summary>
/// The vectorised batch normalisation against a plain per-element reference: the same operations
/// in the same order for every element, so the results must be equal bit for bit, in training and
/// in inference, forward and backward, for channel counts that fill vectors and ones that do not.
/// </summary>
public sealed class BatchNormalizationKernelTests
{
    [Theory]
    [InlineData(1, 5, 7, 3)]
    [InlineData(3, 4, 4, 2)]
    [InlineData(16, 6, 6, 9)]
    [InlineData(33, 3, 5, 20)]
    [InlineData(32, 14, 14, 9)]   // 1,764 rows: several blocks on the worker pool, several tiles of the sums
    [InlineData(20, 7, 7, 40)]    // a channel count that is no whole number of vectors, over blocks
    public void Forward_and_backward_equal_a_per_element_reference_bit_for_bit(int channels, int height, int width, int batch)
    {
        var random = new Random(channels);
        float[] Values(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 4) - 2))];
        var size = batch * height * width * channels;
        var (x, dy, gamma, beta) = (Values(size), Values(size), Values(channels), Values(channels));
        foreach (var training in new[] { true, false })
        {
            var op = new BatchNormalizationOp<float>([height, width, channels], momentum: 0.9, epsilon: 1e-3);
            gamma.CopyTo(op.Parameters[0].Value, 0);
            beta.CopyTo(op.Parameters[1].Value, 0);
            Values(channels).Select(Math.Abs).ToArray().CopyTo(op.State[1].Value, 0);   // moving variance, for inference
            var reference = new Reference(channels, gamma, beta, op.State[0].Value.ToArray(), op.State[1].Value.ToArray());

            var output = op.Forward(x, batch, training)[..size];
            var expected = reference.Forward(x, training);
            var dx = op.Backward(dy.ToArray(), batch)[..size];
            var expectedDx = reference.Backward(dy.ToArray());

            Assert.Equal(expected, output);
            Assert.Equal(expectedDx, dx);
            Assert.Equal(reference.DGamma, op.Parameters[0].Gradient);
            Assert.Equal(reference.DBeta, op.Parameters[1].Gradient);
            Assert.Equal(reference.MovingMean, op.State[0].Value);
            Assert.Equal(reference.MovingVariance, op.State[1].Value);
        }
    }

    /// <summary>Batch normalisation one element at a time, channel = index mod channels, as it was first written.</summary>
    private sealed class Reference(int channels, float[] gamma, float[] beta, float[] movingMean, float[] movingVariance)
    {
        private readonly float[] _mean = new float[channels];
        private readonly float[] _inverseStd = new float[channels];
        private float[] _normalized = [];
        private bool _training;

        public float[] MovingMean { get; } = movingMean;

        public float[] MovingVariance { get; } = movingVariance;

        public float[] DGamma { get; } = new float[channels];

        public float[] DBeta { get; } = new float[channels];

        public float[] Forward(float[] x, bool training)
        {
            _training = training;
            var rows = x.Length / channels;
            if (training)
            {
                var variance = new float[channels];
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        _mean[c] += x[(r * channels) + c];
                    }
                }

                for (var c = 0; c < channels; c++)
                {
                    _mean[c] /= rows;
                }

                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        var d = x[(r * channels) + c] - _mean[c];
                        variance[c] += d * d;
                    }
                }

                for (var c = 0; c < channels; c++)
                {
                    var v = variance[c] / rows;
                    MovingMean[c] = (MovingMean[c] * 0.9f) + (_mean[c] * (1 - 0.9f));
                    MovingVariance[c] = (MovingVariance[c] * 0.9f) + (v * (1 - 0.9f));
                    _inverseStd[c] = 1 / MathF.Sqrt(v + 1e-3f);
                }
            }
            else
            {
                for (var c = 0; c < channels; c++)
                {
                    _mean[c] = MovingMean[c];
                    _inverseStd[c] = 1 / MathF.Sqrt(MovingVariance[c] + 1e-3f);
                }
            }

            _normalized = new float[x.Length];
            var output = new float[x.Length];
            for (var i = 0; i < x.Length; i++)
            {
                var c = i % channels;
                _normalized[i] = (x[i] - _mean[c]) * _inverseStd[c];
                output[i] = (_normalized[i] * gamma[c]) + beta[c];
            }

            return output;
        }

        public float[] Backward(float[] dy)
        {
            var rows = dy.Length / channels;
            for (var i = 0; i < dy.Length; i++)
            {
                var c = i % channels;
                DBeta[c] += dy[i];
                DGamma[c] += dy[i] * _normalized[i];
            }

            for (var i = 0; i < dy.Length; i++)
            {
                var c = i % channels;
                var scale = gamma[c] * _inverseStd[c];
                dy[i] = _training ? scale * (dy[i] - (DBeta[c] / rows) - (_normalized[i] * DGamma[c] / rows)) : scale * dy[i];
            }

            return dy;
        }
    }
}
