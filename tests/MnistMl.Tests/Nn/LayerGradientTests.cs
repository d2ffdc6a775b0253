using MnistMl.Nn;

namespace MnistMl.Tests.Nn;

public class LayerGradientTests
{
    [Theory]
    [InlineData(Activation.Linear)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Elu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Softmax)]
    public void Dense_gradients_match_finite_differences(Activation activation) =>
        GradientChecker.CheckLayer(Layers.Dense(5, activation), [7], batch: 3);

    [Theory]
    [InlineData(Padding.Valid, 1)]
    [InlineData(Padding.Same, 1)]
    [InlineData(Padding.Valid, 2)]
    [InlineData(Padding.Same, 2)]
    public void Conv2D_gradients_match_finite_differences(Padding padding, int stride) =>
        GradientChecker.CheckLayer(Layers.Conv2D(3, 3, Activation.Elu, stride, padding), [6, 5, 2], batch: 2);

    [Fact]
    public void Conv2D_with_rectangular_kernel_gradients_match_finite_differences() =>
        GradientChecker.CheckLayer(Layers.Conv2D(2, (2, 3), (1, 2), Padding.Same, Activation.Relu), [5, 6, 3], batch: 2);

    [Fact]
    public void Conv2D_processed_in_chunks_of_samples_gradients_match_finite_differences()
    {
        // A budget of two samples' patches: a batch of 5 runs as chunks of 2, 2 and 1.
        var g = MnistMl.Nn.Kernels.ConvGeometry.Create([5, 5, 2], 3, 3, 1, 1, Padding.Valid);
        GradientChecker.CheckOp(() => new Conv2DOp<double>(g, 3, Activation.Tanh, new RandomSource(7, 1), chunkBudget: 2 * g.OutputPixels * g.PatchSize), "chunked Conv2D", batch: 5);
    }

    [Theory]
    [InlineData(Activation.Elu, false)]
    [InlineData(Activation.Relu, true)]
    public void Conv2D_processed_in_groups_of_samples_gradients_match_finite_differences(Activation activation, bool firstLayer)
    {
        // Two samples per group and a batch of 7: four groups, the last one short.
        var g = MnistMl.Nn.Kernels.ConvGeometry.Create([6, 5, 2], 3, 3, 1, 1, Padding.Valid);
        var bytesPerSample = (g.OutputPixels * g.PatchSize + g.OutputPixels * 3) * sizeof(double);
        GradientChecker.CheckOp(
            () => new Conv2DOp<double>(g, 3, activation, new RandomSource(7, 1), groupBudgetBytes: 2 * bytesPerSample) { SkipInputGradient = firstLayer },
            "grouped Conv2D", batch: 7);
    }

    [Theory]
    [InlineData(Padding.Valid)]
    [InlineData(Padding.Same)]
    public void MaxPooling2D_gradients_match_finite_differences(Padding padding) =>
        GradientChecker.CheckLayer(Layers.MaxPooling2D(2, padding: padding), [5, 5, 3], batch: 2);

    [Fact]
    public void MaxPooling2D_with_overlapping_windows_gradients_match_finite_differences() =>
        GradientChecker.CheckLayer(Layers.MaxPooling2D(3, strides: 1), [5, 4, 2], batch: 2);

    [Fact]
    public void Flatten_gradients_match_finite_differences() =>
        GradientChecker.CheckLayer(Layers.Flatten(), [3, 2, 2], batch: 2);

    [Fact]
    public void Dropout_gradients_match_finite_differences_in_training() =>
        GradientChecker.CheckLayer(Layers.Dropout(0.5), [12], batch: 3);

    [Fact]
    public void BatchNormalization_gradients_match_finite_differences_in_training() =>
        GradientChecker.CheckLayer(Layers.BatchNormalization(), [3, 3, 4], batch: 3, tolerance: 1e-5);

    [Fact]
    public void BatchNormalization_gradients_match_finite_differences_in_inference() =>
        GradientChecker.CheckLayer(Layers.BatchNormalization(), [6], batch: 3, training: false);

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Elu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Softmax)]
    public void Activation_layer_gradients_match_finite_differences(Activation activation) =>
        GradientChecker.CheckLayer(Layers.Activation(activation), [2, 5], batch: 3);
}
