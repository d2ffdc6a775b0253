using MnistMl.Nn;
using MnistMl.Nn.Kernels;

namespace MnistMl.Tests.Nn;

public class ConvPoolFusionTests
{
    [Theory]
    [InlineData(Activation.Relu, Padding.Valid, true, 2.0)]
    [InlineData(Activation.Elu, Padding.Valid, false, 2.0)]
    [InlineData(Activation.Tanh, Padding.Same, false, 2.0)]
    [InlineData(Activation.Sigmoid, Padding.Valid, false, 2.0)]
    public void Convolution_pooling_its_own_outputs_gives_the_two_layers_results(Activation activation, Padding poolPadding, bool firstLayer, double samplesPerBudget)
    {
        // 9×8×2 input, 3×3 kernel, 4 filters → 7×6×4 → 2×2 pooling: odd edges are dropped ('valid')
        // or padded ('same'). A batch of 7 in groups of two samples takes the grouped path.
        const int Batch = 7;
        var g = ConvGeometry.Create([9, 8, 2], 3, 3, 1, 1, Padding.Valid);
        var poolGeometry = ConvGeometry.Create([g.OutputHeight, g.OutputWidth, 4], 2, 2, 2, 2, poolPadding);
        var bytesPerSample = (g.OutputPixels * g.PatchSize + g.OutputPixels * 4) * sizeof(double);
        // The reference runs the two layers apart on the ungrouped path (the default budget holds
        // the whole batch in one group), so it shares none of the grouped code.
        (Conv2DOp<double> Conv, MaxPooling2DOp<double> Pool) Pair(bool fused)
        {
            var budget = fused ? (int)(samplesPerBudget * bytesPerSample) : Conv2DOp<double>.DefaultGroupBudgetBytes;
            var conv = new Conv2DOp<double>(g, 4, activation, new RandomSource(5, 1), groupBudgetBytes: budget) { SkipInputGradient = firstLayer };
            var pool = new MaxPooling2DOp<double>(poolGeometry);
            Assert.Equal(fused, fused && conv.PoolInto(pool));
            return (conv, pool);
        }

        var random = new RandomSource(11);
        var (fusedConv, fusedPool) = Pair(fused: true);
        var (conv, pool) = Pair(fused: false);

        // Twice, so that anything left over in the ops' buffers from the first step would show.
        for (var step = 0; step < 2; step++)
        {
            var input = GradientChecker.RandomArray(random, Batch * g.InputSize);
            var expected = pool.Forward(conv.Forward(input, Batch, training: true), Batch, training: true);
            var actual = fusedPool.Forward(fusedConv.Forward(input, Batch, training: true), Batch, training: true);
            AssertClose(expected.AsSpan(0, Batch * pool.OutputSize), actual.AsSpan(0, Batch * pool.OutputSize));

            var gradient = GradientChecker.RandomArray(random, Batch * pool.OutputSize);
            var expectedInput = conv.Backward(pool.Backward((double[])gradient.Clone(), Batch), Batch);
            var actualInput = fusedConv.Backward(fusedPool.Backward((double[])gradient.Clone(), Batch), Batch);
            AssertClose(expectedInput, actualInput);
            for (var p = 0; p < conv.Parameters.Count; p++)
            {
                AssertClose(conv.Parameters[p].Gradient, fusedConv.Parameters[p].Gradient);
            }
        }
    }

    /// <summary>Equal up to the order of the kernel-gradient sums (groups add them in another order).</summary>
    private static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"[{i}]: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Overlapping_windows_and_softmax_are_not_fused()
    {
        var g = ConvGeometry.Create([8, 8, 1], 3, 3, 1, 1, Padding.Valid);
        var overlapping = new MaxPooling2DOp<double>(ConvGeometry.Create([6, 6, 2], 3, 3, 2, 2, Padding.Valid));
        Assert.False(new Conv2DOp<double>(g, 2, Activation.Relu, new RandomSource(1)).PoolInto(overlapping));
        var pool = new MaxPooling2DOp<double>(ConvGeometry.Create([6, 6, 2], 2, 2, 2, 2, Padding.Valid));
        Assert.False(new Conv2DOp<double>(g, 2, Activation.Softmax, new RandomSource(1)).PoolInto(pool));
        Assert.True(new Conv2DOp<double>(g, 2, Activation.Relu, new RandomSource(1)).PoolInto(pool));
    }
}
