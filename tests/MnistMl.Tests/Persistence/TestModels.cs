using MnistMl.Nn;
using MnistMl.Tests.Nn;

namespace MnistMl.Tests.Persistence;

/// <summary>Small models for the model-file tests.</summary>
internal static class TestModels
{
    /// <summary>Every layer kind, compiled and trained two epochs so that batch normalisation's moving statistics are not their initial values.</summary>
    public static (Sequential Model, Tensor X) TrainedWithEveryLayerKind()
    {
        var model = new Sequential(
            Layers.Input(8, 8, 1),
            Layers.Conv2D(4, 3, Activation.Relu, padding: Padding.Same),
            Layers.BatchNormalization(momentum: 0.9),
            Layers.MaxPooling2D(2),
            Layers.Conv2D(3, (2, 2), (1, 1), Padding.Valid, Activation.Elu),
            Layers.Activation(Activation.Tanh),
            Layers.Flatten(),
            Layers.Dropout(0.25),
            Layers.Dense(6, Activation.Sigmoid),
            Layers.Dense(4, Activation.Softmax))
        {
            Name = "every_kind",
            Seed = 7,
        };
        model.Compile(new Adam(learningRate: 0.01), Losses.CategoricalCrossentropy, Metric.Accuracy);
        var (x, y) = SyntheticData.Quadrants(48);
        model.Fit(x, y, batchSize: 16, epochs: 2);
        return (model, x);
    }

    /// <summary>The cnn preset's shape in miniature (8 × 8 inputs), compiled, untrained.</summary>
    public static Sequential SmallCnn()
    {
        var model = SyntheticData.SmallCnn(seed: 3);
        model.Name = "small_cnn";
        model.Compile(new Adam(), Losses.CategoricalCrossentropy, Metric.Accuracy);
        return model;
    }

    /// <summary>Bit patterns, so that comparisons tell -0 from 0 and compare NaNs exactly.</summary>
    public static int[] Bits(Tensor tensor) => [.. tensor.Data.Select(BitConverter.SingleToInt32Bits)];
}
