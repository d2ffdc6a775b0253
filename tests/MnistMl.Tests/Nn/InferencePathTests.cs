using MnistMl.Nn;

namespace MnistMl.Tests.Nn;

/// <summary>
/// Inference takes its own routes through convolution and pooling (fused direct convolution, a
/// Winograd layer cropped to what the pooling reads, a single image on the calling thread); each
/// must give, to the bit, what the training-mode forward pass gives, for one image and for
/// batches large enough to be shared out by groups.
/// </summary>
public class InferencePathTests
{
    public static TheoryData<string, int> Cases => new()
    {
        { "winograd-same-pooling-odd", 1 }, { "winograd-same-pooling-odd", 1000 },
        { "winograd-cropped", 1 }, { "winograd-cropped", 3 }, { "winograd-cropped", 1000 },
        { "direct-pooled", 1 }, { "direct-pooled", 300 },
        { "direct-unpooled", 1 }, { "direct-unpooled", 300 },
        { "kernel-wider-than-a-block", 1 }, { "kernel-wider-than-a-block", 40 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inference_gives_the_training_mode_outputs_bit_for_bit(string name, int batch)
    {
        var model = Model(name);
        var size = model.InputShape.Aggregate(1, (a, b) => a * b);
        var random = new RandomSource(batch);
        var x = Enumerable.Range(0, batch * size).Select(_ => random.NextSingle() - 0.4f).ToArray();
        var network = model.Network;

        var expected = network.Forward(x, batch, training: true)[..(batch * network.OutputSize)];
        var actual = network.Forward(x, batch, training: false)[..(batch * network.OutputSize)];
        var predicted = model.Predict(Tensor.FromArray(x, [batch, .. model.InputShape])).Data;

        Assert.Equal(expected, actual);
        Assert.Equal(expected, predicted);
    }

    private static Sequential Model(string name)
    {
        Layer[] layers = name switch
        {
            // 16 channels take Winograd; 5×5 outputs pooled 'same': the pooling pads the bottom and right.
            "winograd-same-pooling-odd" => [Layers.Input(7, 7, 16), Layers.Conv2D(8, 3, Activation.Elu), Layers.MaxPooling2D(2, padding: Padding.Same), Layers.Flatten(), Layers.Dense(3, Activation.Softmax)],
            // 11×11 outputs, 'valid' pooling reads 10×10 of them (cnn's second layer in miniature).
            "winograd-cropped" => [Layers.Input(13, 13, 16), Layers.Conv2D(8, 3, Activation.Elu), Layers.MaxPooling2D(2), Layers.Flatten(), Layers.Dense(3, Activation.Softmax)],
            "direct-pooled" => [Layers.Input(9, 10, 1), Layers.Conv2D(20, 3, Activation.Relu), Layers.MaxPooling2D(2), Layers.Flatten(), Layers.Dense(3, Activation.Softmax)],
            "direct-unpooled" => [Layers.Input(9, 10, 2), Layers.Conv2D(20, 3, Activation.Relu, padding: Padding.Same), Layers.Flatten(), Layers.Dense(3, Activation.Softmax)],
            // 17×17 taps: more than one K block of the product, so not the direct path.
            "kernel-wider-than-a-block" => [Layers.Input(20, 20, 1), Layers.Conv2D(4, 17, Activation.Relu), Layers.MaxPooling2D(2), Layers.Flatten(), Layers.Dense(2, Activation.Softmax)],
            _ => throw new ArgumentException(name, nameof(name)),
        };
        return new Sequential(layers) { Seed = 3 };
    }
}
