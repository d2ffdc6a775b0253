using MnistMl.Nn;
using MnistMl.Nn.Kernels;

namespace MnistMl.Tests.Nn;

/// <summary>The direct convolution of few-channel inputs is bit-identical to unfolding the patches and multiplying them.</summary>
public class DirectConvolutionTests
{
    [Theory]
    [InlineData(28, 28, 1, 3, 3, 1, 32, Padding.Valid)]   // cnn's first layer
    [InlineData(28, 28, 1, 3, 3, 1, 64, Padding.Valid)]   // cnn64's first layer
    [InlineData(7, 6, 2, 3, 3, 1, 5, Padding.Same)]       // filters fewer than a vector: the scalar tail alone
    [InlineData(9, 8, 3, 2, 3, 2, 20, Padding.Same)]      // strides, odd padding at the bottom/right, a vector and a tail
    [InlineData(5, 5, 1, 5, 5, 1, 33, Padding.Valid)]     // one window: a single pixel, no block of eight
    [InlineData(11, 13, 3, 3, 3, 2, 16, Padding.Valid)]
    public void Forward_equals_unfold_then_product_bit_for_bit(int h, int w, int c, int kh, int kw, int stride, int filters, Padding padding)
    {
        var g = ConvGeometry.Create([h, w, c], kh, kw, stride, stride, padding);
        foreach (var narrow in new[] { false, true })
        {
            Gemm.NarrowVectorsOnly = narrow;
            try
            {
                AssertSame<float>(g, filters, seed: 1);
                AssertSame<double>(g, filters, seed: 2);
            }
            finally
            {
                Gemm.NarrowVectorsOnly = false;
            }
        }
    }

    [Theory]
    [InlineData(28, 28, 1, 32, true)]    // cnn's first layer and its pooling: 26×26 → 13×13
    [InlineData(28, 28, 1, 64, true)]    // cnn64's first layer
    [InlineData(9, 10, 2, 20, true)]     // 7×8 outputs: a row and no column left over; odd pooled count
    [InlineData(6, 6, 3, 5, false)]      // no activation; the scalar tail alone
    public void Forward_pooled_equals_convolution_bias_relu_and_pooling_run_apart(int h, int w, int c, int filters, bool relu)
    {
        var g = ConvGeometry.Create([h, w, c], 3, 3, 1, 1, Padding.Valid);
        var pool = ConvGeometry.Create([g.OutputHeight, g.OutputWidth, filters], 2, 2, 2, 2, Padding.Valid);
        Assert.True(DirectConvolution.CanPool(g, filters, pool));
        foreach (var narrow in new[] { false, true })
        {
            Gemm.NarrowVectorsOnly = narrow;
            try
            {
                AssertPooledSame<float>(g, filters, pool, relu, seed: 3);
                AssertPooledSame<double>(g, filters, pool, relu, seed: 4);
            }
            finally
            {
                Gemm.NarrowVectorsOnly = false;
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Forward_with_a_bias_equals_adding_it_and_relu_after(bool relu)
    {
        var g = ConvGeometry.Create([12, 11, 1], 3, 3, 1, 1, Padding.Same);
        const int Filters = 21;   // a vector and a tail
        var random = new RandomSource(9);
        var input = Enumerable.Range(0, g.InputSize).Select(_ => random.NextSingle() - 0.3f).ToArray();
        var kernel = Enumerable.Range(0, g.PatchSize * Filters).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var bias = Enumerable.Range(0, Filters).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var padded = new float[DirectConvolution.PaddedSize(g)];
        var expected = new float[g.OutputPixels * Filters];
        DirectConvolution.Forward<float>(g, Filters, input, kernel, expected, padded);
        BiasKernels.Add<float>(expected, bias, relu);
        var actual = new float[expected.Length];

        DirectConvolution.Forward<float>(g, Filters, input, kernel, actual, padded, bias, relu);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Pooling_that_overlaps_or_pads_is_not_fused()
    {
        var g = ConvGeometry.Create([28, 28, 1], 3, 3, 1, 1, Padding.Valid);

        Assert.False(DirectConvolution.CanPool(g, 32, ConvGeometry.Create([26, 26, 32], 3, 3, 2, 2, Padding.Valid)));
        Assert.False(DirectConvolution.CanPool(g, 32, ConvGeometry.Create([26, 26, 32], 2, 2, 1, 1, Padding.Valid)));
        Assert.False(DirectConvolution.CanPool(g, 32, ConvGeometry.Create([26, 26, 32], 2, 2, 2, 2, Padding.Same) with { PadTop = 1 }));
    }

    private static void AssertPooledSame<T>(ConvGeometry g, int filters, ConvGeometry pool, bool relu, long seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new RandomSource(seed);
        var input = Enumerable.Range(0, g.InputSize).Select(_ => T.CreateChecked(random.NextSingle() - 0.3f)).ToArray();
        var kernel = Enumerable.Range(0, g.PatchSize * filters).Select(_ => T.CreateChecked(random.NextSingle() - 0.5f)).ToArray();
        var bias = Enumerable.Range(0, filters).Select(_ => T.CreateChecked(random.NextSingle() - 0.5f)).ToArray();
        var outputs = new T[g.OutputPixels * filters];
        DirectConvolution.Forward<T>(g, filters, input, kernel, outputs, []);
        BiasKernels.Add<T>(outputs, bias, relu);
        var expected = new T[pool.OutputPixels * filters];
        MaxPoolKernel.ForwardReference<T>(pool, outputs, expected, new int[expected.Length], firstChannel: 0);
        var actual = new T[expected.Length];

        DirectConvolution.ForwardPooled<T>(g, filters, input, kernel, bias, relu, pool, actual, []);

        Assert.Equal(expected, actual);
    }

    private static void AssertSame<T>(ConvGeometry g, int filters, long seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new RandomSource(seed);
        var input = Enumerable.Range(0, g.InputSize).Select(_ => T.CreateChecked(random.NextSingle() - 0.3f)).ToArray();
        var kernel = Enumerable.Range(0, g.PatchSize * filters).Select(_ => T.CreateChecked(random.NextSingle() - 0.5f)).ToArray();
        var columns = new T[g.OutputPixels * g.PatchSize];
        var expected = new T[g.OutputPixels * filters];
        Im2Col.Unfold<T>(g, input, columns);
        Gemm.MultiplyOnCurrentThread(columns, 0, false, kernel, 0, false, expected, 0, g.OutputPixels, filters, g.PatchSize, accumulate: false);
        var actual = new T[expected.Length + 3];
        var padded = new T[DirectConvolution.PaddedSize(g)];

        DirectConvolution.Forward<T>(g, filters, input, kernel, actual.AsSpan(0, expected.Length), padded);

        Assert.Equal(expected, actual[..expected.Length]);
        Assert.Equal(new T[3], actual[expected.Length..]);
    }
}
