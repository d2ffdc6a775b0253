using MnistMl.Nn;

namespace MnistMl.Tests.Nn;

public class ForwardTests
{
    [Fact]
    public void Conv2D_forward_of_a_small_case_matches_hand_computation()
    {
        // 3×3 single-channel input, one 2×2 filter of ones, bias 0.5: each output is a window sum + 0.5.
        var op = Layers.Conv2D(1, 2).CreateOp<double>([3, 3, 1], new RandomSource(0), 0);
        op.Parameters[0].Value.AsSpan().Fill(1);
        op.Parameters[1].Value[0] = 0.5;
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var y = op.Forward(x, 1, false);
        Assert.Equal([12.5, 16.5, 24.5, 28.5], y[..4]);
    }

    [Fact]
    public void Conv2D_same_padding_keeps_the_size_and_pads_with_zeros()
    {
        var op = Layers.Conv2D(1, 3, padding: Padding.Same).CreateOp<double>([2, 2, 1], new RandomSource(0), 0);
        op.Parameters[0].Value.AsSpan().Fill(1);
        var y = op.Forward([1, 2, 3, 4], 1, false);
        Assert.Equal(new[] { 2, 2, 1 }, op.OutputShape);
        Assert.Equal([10.0, 10, 10, 10], y[..4]);
    }

    [Fact]
    public void Dense_forward_of_a_small_case_matches_hand_computation()
    {
        var op = Layers.Dense(2, Activation.Relu).CreateOp<double>([3], new RandomSource(0), 0);
        double[] kernel = [1, -1, 2, -2, 3, -3];
        kernel.CopyTo(op.Parameters[0].Value, 0);
        op.Parameters[1].Value[1] = 20;
        var y = op.Forward([1, 1, 1], 1, false);
        Assert.Equal([6.0, 14], y[..2]);
    }

    [Fact]
    public void MaxPooling2D_takes_the_maximum_of_each_window_per_channel()
    {
        var op = Layers.MaxPooling2D(2).CreateOp<double>([2, 2, 2], new RandomSource(0), 0);
        var y = op.Forward([1, 8, 4, 5, 3, 6, 2, 7], 1, false);
        Assert.Equal([4.0, 8], y[..2]);
    }

    [Fact]
    public void Activations_of_known_values_match_their_definitions()
    {
        double[] Apply(Activation a, params double[] v)
        {
            MnistMl.Nn.Kernels.ActivationFunctions.Forward<double>(a, v, v.Length, new double[v.Length]);
            return v;
        }

        Assert.Equal([0.0, 2], Apply(Activation.Relu, -1, 2));
        Assert.Equal(Math.Exp(-1) - 1, Apply(Activation.Elu, -1, 2)[0], 15);
        Assert.Equal(0.5, Apply(Activation.Sigmoid, 0)[0]);
        Assert.Equal(Math.Tanh(0.5), Apply(Activation.Tanh, 0.5)[0], 15);
        var softmax = Apply(Activation.Softmax, 1, 2, 3);
        Assert.Equal(Math.Exp(1) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), softmax[0], 15);
    }

    [Fact]
    public void Elu_never_decreases_over_the_negative_floats_but_at_one_pair_of_neighbours()
    {
        // Inference pools a convolution's outputs before elu (WinogradPooledJob), which gives the
        // same bits only while elu never decreases: every float from −104 (where exp is 0) to +0, in
        // increasing order, through the vectorised code training uses.
        const int chunk = 1 << 16;
        var values = new float[chunk];
        var scratch = new float[chunk];
        var decreases = new List<float>();
        var previous = float.NegativeInfinity;
        for (long bits = BitConverter.SingleToUInt32Bits(-104f); bits >= 0x7FFF_FFFF;)
        {
            var n = 0;
            for (; n < chunk && bits >= 0x7FFF_FFFF; n++, bits--)
            {
                // 0x7FFF_FFFF stands for +0, after −0.
                values[n] = bits == 0x7FFF_FFFF ? 0f : BitConverter.UInt32BitsToSingle((uint)bits);
            }

            var inputs = values[..n];
            MnistMl.Nn.Kernels.ActivationFunctions.Forward<float>(Activation.Elu, values.AsSpan(0, n), n, scratch);
            for (var i = 0; i < n; i++)
            {
                if (!(values[i] <= 0))
                {
                    Assert.Fail($"elu({inputs[i]:R}) = {values[i]:R} > 0");
                }

                if (values[i] < previous)
                {
                    decreases.Add(inputs[i]);
                }

                previous = values[i];
            }
        }

        Assert.Equal([-0.34657356f], decreases);
    }

    [Fact]
    public void Dropout_passes_values_through_in_inference_and_scales_kept_values_in_training()
    {
        var op = Layers.Dropout(0.5).CreateOp<double>([1000], new RandomSource(0), 0);
        var x = Enumerable.Repeat(1.0, 1000).ToArray();
        Assert.Same(x, op.Forward(x, 1, training: false));
        var y = op.Forward(x, 1, training: true);
        Assert.All(y[..1000], v => Assert.True(v is 0 or 2));
        Assert.InRange(y[..1000].Count(v => v == 0), 400, 600);
    }

    [Fact]
    public void Glorot_uniform_kernels_stay_within_the_limit_and_biases_start_at_zero()
    {
        var op = Layers.Dense(64).CreateOp<float>([100], new RandomSource(0), 0);
        var limit = Math.Sqrt(6.0 / 164);
        Assert.All(op.Parameters[0].Value, w => Assert.InRange(w, -limit, limit));
        Assert.True(op.Parameters[0].Value.Max() > limit * 0.9);
        Assert.All(op.Parameters[1].Value, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Max_pooling_in_inference_gives_the_training_values_and_refuses_a_backward_pass()
    {
        var g = MnistMl.Nn.Kernels.ConvGeometry.Create([6, 6, 17], 2, 2, 2, 2, Padding.Valid);
        var pool = new MaxPooling2DOp<float>(g);
        var random = new RandomSource(2);
        var input = Enumerable.Range(0, 2 * g.InputSize).Select(_ => random.NextSingle()).ToArray();
        var training = (float[])pool.Forward(input, 2, training: true).Clone();
        var inference = pool.Forward(input, 2, training: false);
        Assert.Equal(training.AsSpan(0, 2 * pool.OutputSize).ToArray(), inference.AsSpan(0, 2 * pool.OutputSize).ToArray());
        Assert.Throws<InvalidOperationException>(() => pool.Backward(new float[2 * pool.OutputSize], 2));
    }

    [Theory]
    [InlineData(3, Padding.Valid, 2)]
    [InlineData(17, Padding.Same, 2)]
    [InlineData(32, Padding.Valid, 1)]
    [InlineData(64, Padding.Same, 3)]
    public void Vectorised_max_pooling_matches_the_reference_including_ties(int channels, Padding padding, int stride)
    {
        var g = MnistMl.Nn.Kernels.ConvGeometry.Create([9, 7, channels], 3, 3, stride, stride, padding);
        var random = new RandomSource(channels);
        // Few distinct values, so windows have ties: the first maximum must win in both paths.
        var input = Enumerable.Range(0, g.InputSize).Select(_ => (float)random.NextInt(4)).ToArray();
        var outputs = g.OutputPixels * channels;
        float[] fast = new float[outputs], slow = new float[outputs];
        int[] fastWinners = new int[outputs], slowWinners = new int[outputs];
        MnistMl.Nn.Kernels.MaxPoolKernel.Forward<float>(g, input, fast, fastWinners);
        MnistMl.Nn.Kernels.MaxPoolKernel.ForwardReference<float>(g, input, slow, slowWinners, firstChannel: 0);
        Assert.Equal(slow, fast);
        Assert.Equal(slowWinners, fastWinners);

        // Winners by their positions in their windows (what a fused convolution keeps), then back to indices.
        var positions = new byte[outputs];
        var indices = new int[outputs];
        Array.Clear(fast);
        MnistMl.Nn.Kernels.MaxPoolKernel.ForwardWindowPositions<float>(g, input, fast, positions);
        MnistMl.Nn.Kernels.MaxPoolKernel.WinnerIndices(g, positions, indices);
        Assert.Equal(slow, fast);
        Assert.Equal(slowWinners, indices);
        Assert.All(positions, p => Assert.InRange(p, 0, 8));
    }
}
