using MnistMl.Nn;
using MnistMl.Nn.Kernels;

namespace MnistMl.Tests.Nn;

public class ConvPoolFusionTests
{
    [Theory]
    [InlineData(Activation.Relu, Padding.Valid, true)]
    [InlineData(Activation.Elu, Padding.Valid, false)]
    [InlineData(Activation.Tanh, Padding.Same, false)]
    [InlineData(Activation.Sigmoid, Padding.Valid, false)]
    public void Convolution_pooling_its_own_outputs_gives_exactly_the_two_layers_results(Activation activation, Padding poolPadding, bool firstLayer)
    {
        // 9×8×2 input, 3×3 kernel, 4 filters → 7×6×4 → 2×2 pooling: odd edges are dropped ('valid')
        // or padded ('same'). Two samples per group and a batch of 7 take the grouped path.
        const int Batch = 7;
        var g = ConvGeometry.Create([9, 8, 2], 3, 3, 1, 1, Padding.Valid);
        var poolGeometry = ConvGeometry.Create([g.OutputHeight, g.OutputWidth, 4], 2, 2, 2, 2, poolPadding);
        var bytesPerSample = (g.OutputPixels * g.PatchSize + g.OutputPixels * 4) * sizeof(double);
        (Conv2DOp<double> Conv, MaxPooling2DOp<double> Pool) Pair(bool fused)
        {
            var conv = new Conv2DOp<double>(g, 4, activation, new RandomSource(5, 1), groupBudgetBytes: 2 * bytesPerSample) { SkipInputGradient = firstLayer };
            var pool = new MaxPooling2DOp<double>(poolGeometry);
            Assert.Equal(fused, fused && conv.PoolInto(pool));
            return (conv, pool);
        }

        var random = new RandomSource(11);
        var input = GradientChecker.RandomArray(random, Batch * g.InputSize);
        var (fusedConv, fusedPool) = Pair(fused: true);
        var (conv, pool) = Pair(fused: false);

        var expected = pool.Forward(conv.Forward(input, Batch, training: true), Batch, training: true);
        var actual = fusedPool.Forward(fusedConv.Forward(input, Batch, training: true), Batch, training: true);
        Assert.Equal(expected.AsSpan(0, Batch * pool.OutputSize).ToArray(), actual.AsSpan(0, Batch * pool.OutputSize).ToArray());

        var gradient = GradientChecker.RandomArray(random, Batch * pool.OutputSize);
        var expectedInput = conv.Backward(pool.Backward((double[])gradient.Clone(), Batch), Batch);
        var actualInput = fusedConv.Backward(fusedPool.Backward((double[])gradient.Clone(), Batch), Batch);
        Assert.Equal(expectedInput, actualInput);
        for (var p = 0; p < conv.Parameters.Count; p++)
        {
            Assert.Equal(conv.Parameters[p].Gradient, fusedConv.Parameters[p].Gradient);
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
