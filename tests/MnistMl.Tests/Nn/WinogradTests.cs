using MnistMl.Nn;
using MnistMl.Nn.Kernels;

namespace MnistMl.Tests.Nn;

/// <summary>
/// Winograd F(2×2, 3×3) against the patch product it replaces (which the other convolution tests
/// check against the definition and finite differences), and against finite differences itself.
/// </summary>
public class WinogradTests
{
    [Theory]
    [InlineData(5, 5, 1, 1, Padding.Valid, 3)] // one partial tile per sample (3×3 outputs)
    [InlineData(6, 7, 3, 17, Padding.Valid, 3)] // odd width: the last tile column is half outside
    [InlineData(5, 6, 17, 3, Padding.Same, 3)] // 'same': blocks reach past every edge; 17 channels = vectors and a tail
    [InlineData(8, 8, 16, 32, Padding.Valid, 7)] // even outputs, whole vectors; batch 7 in groups
    [InlineData(13, 13, 32, 64, Padding.Valid, 5)] // cnn's second layer (11×11 outputs)
    public void Forward_and_backward_match_the_patch_product(int h, int w, int c, int filters, Padding padding, int batch)
    {
        var g = ConvGeometry.Create([h, w, c], 3, 3, 1, 1, padding);
        // Two samples per group when the batch is 7: the grouped path; else the whole-batch one.
        var budget = batch == 7 ? 2 * 2 * g.OutputPixels * filters * sizeof(double) : Conv2DOp<double>.DefaultGroupBudgetBytes;
        var patches = new Conv2DOp<double>(g, filters, Activation.Elu, new RandomSource(5, 1), winograd: false);
        var winograd = new Conv2DOp<double>(g, filters, Activation.Elu, new RandomSource(5, 1), groupBudgetBytes: budget, winograd: true);
        var random = new RandomSource(17);

        // Twice, so that anything left over in the buffers from the first step would show.
        for (var step = 0; step < 2; step++)
        {
            var input = GradientChecker.RandomArray(random, batch * g.InputSize);
            var outputs = batch * patches.OutputSize;
            AssertClose(
                patches.Forward(input, batch, training: true).AsSpan(0, outputs),
                winograd.Forward(input, batch, training: true).AsSpan(0, outputs),
                "outputs");
            var gradient = GradientChecker.RandomArray(random, outputs);
            AssertClose(
                patches.Backward((double[])gradient.Clone(), batch).AsSpan(0, batch * g.InputSize),
                winograd.Backward((double[])gradient.Clone(), batch).AsSpan(0, batch * g.InputSize),
                "input gradient");
            AssertClose(patches.Parameters[0].Gradient, winograd.Parameters[0].Gradient, "kernel gradient");
            AssertClose(patches.Parameters[1].Gradient, winograd.Parameters[1].Gradient, "bias gradient");
        }
    }

    [Theory]
    [InlineData(Padding.Valid, false, 7)]
    [InlineData(Padding.Same, true, 7)]
    [InlineData(Padding.Valid, false, 2)]
    public void Gradients_match_finite_differences(Padding padding, bool firstLayer, int batch)
    {
        // 5×6 input: 3×4 'valid' outputs, a half-outside tile row; two samples per group at batch 7.
        var g = ConvGeometry.Create([5, 6, 3], 3, 3, 1, 1, padding);
        var budget = 2 * 2 * g.OutputPixels * 2 * sizeof(double);
        GradientChecker.CheckOp(
            () => new Conv2DOp<double>(g, 2, Activation.Tanh, new RandomSource(7, 1), groupBudgetBytes: budget, winograd: true) { SkipInputGradient = firstLayer },
            "Winograd Conv2D",
            batch);
    }

    [Fact]
    public void Fused_with_pooling_matches_the_two_layers_apart()
    {
        // 10×10×16 → 8×8×8 → 4×4×8, batch 9 in groups of two: the grouped, fused path.
        const int Batch = 9;
        var g = ConvGeometry.Create([10, 10, 16], 3, 3, 1, 1, Padding.Valid);
        var poolGeometry = ConvGeometry.Create([8, 8, 8], 2, 2, 2, 2, Padding.Valid);
        var budget = 2 * 2 * g.OutputPixels * 8 * sizeof(double);
        var conv = new Conv2DOp<double>(g, 8, Activation.Relu, new RandomSource(3, 1), groupBudgetBytes: budget, winograd: true);
        var pool = new MaxPooling2DOp<double>(poolGeometry);
        var fusedConv = new Conv2DOp<double>(g, 8, Activation.Relu, new RandomSource(3, 1), groupBudgetBytes: budget, winograd: true);
        var fusedPool = new MaxPooling2DOp<double>(poolGeometry);
        Assert.True(fusedConv.PoolInto(fusedPool));
        var random = new RandomSource(23);
        for (var step = 0; step < 2; step++)
        {
            var input = GradientChecker.RandomArray(random, Batch * g.InputSize);
            var expected = pool.Forward(conv.Forward(input, Batch, training: true), Batch, training: true);
            var actual = fusedPool.Forward(fusedConv.Forward(input, Batch, training: true), Batch, training: true);
            Assert.Equal(expected.AsSpan(0, Batch * pool.OutputSize), actual.AsSpan(0, Batch * pool.OutputSize));
            var gradient = GradientChecker.RandomArray(random, Batch * pool.OutputSize);
            var expectedInput = conv.Backward(pool.Backward((double[])gradient.Clone(), Batch), Batch);
            var actualInput = fusedConv.Backward(fusedPool.Backward((double[])gradient.Clone(), Batch), Batch);
            Assert.Equal(expectedInput.AsSpan(0, Batch * g.InputSize), actualInput.AsSpan(0, Batch * g.InputSize));
            Assert.Equal(conv.Parameters[0].Gradient, fusedConv.Parameters[0].Gradient);
            Assert.Equal(conv.Parameters[1].Gradient, fusedConv.Parameters[1].Gradient);
        }
    }

    [Fact]
    public void Float32_forward_stays_close_to_float64_on_the_cnn64_layer()
    {
        // 26×26×64 → 24×24×32 with 16-lane vectors: the transforms' rounding stays small.
        var g = ConvGeometry.Create([26, 26, 64], 3, 3, 1, 1, Padding.Valid);
        var exact = new Conv2DOp<double>(g, 32, Activation.Linear, new RandomSource(9, 1), winograd: false);
        var fast = new Conv2DOp<float>(g, 32, Activation.Linear, new RandomSource(9, 1), winograd: true);
        var random = new RandomSource(4);
        var input = GradientChecker.RandomArray(random, 2 * g.InputSize);
        var expected = exact.Forward(input, 2, training: false);
        var actual = fast.Forward([.. input.Select(v => (float)v)], 2, training: false);
        var worst = 0.0;
        for (var i = 0; i < 2 * exact.OutputSize; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.InRange(worst, 0, 2e-5);
    }

    [Fact]
    public void Kernel_transform_and_its_gradient_are_adjoint()
    {
        // ⟨U(g), dU⟩ = ⟨g, Gᵀ dU G⟩ for any g and dU: the kernel gradient is the transform's transpose.
        const int Channels = 3, Filters = 19;
        var random = new RandomSource(8);
        var kernel = GradientChecker.RandomArray(random, 9 * Channels * Filters);
        var du = GradientChecker.RandomArray(random, Winograd.Positions * Channels * Filters);
        var u = new double[du.Length];
        var dg = new double[kernel.Length];
        Winograd.TransformKernel<double>(kernel, Channels, Filters, u);
        Winograd.TransformKernelGradient<double>(du, Channels, Filters, dg);
        var left = u.Zip(du, (a, b) => a * b).Sum();
        var right = kernel.Zip(dg, (a, b) => a * b).Sum();
        Assert.Equal(left, right, 1e-12);
    }

    [Fact]
    public void Only_3x3_stride_1_kernels_fit()
    {
        Assert.True(WinogradConvolution<float>.Fits(ConvGeometry.Create([8, 8, 4], 3, 3, 1, 1, Padding.Same)));
        Assert.False(WinogradConvolution<float>.Fits(ConvGeometry.Create([8, 8, 4], 3, 3, 2, 2, Padding.Valid)));
        Assert.False(WinogradConvolution<float>.Fits(ConvGeometry.Create([8, 8, 4], 5, 5, 1, 1, Padding.Valid)));
        Assert.Throws<ArgumentException>(() => new WinogradConvolution<float>(ConvGeometry.Create([8, 8, 4], 2, 2, 1, 1, Padding.Valid), 4));
    }

    private static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"{what} [{i}]: {actual[i]} vs {expected[i]}");
        }
    }
}
