using MnistMl.Nn;

namespace MnistMl.Tests.Nn;

public class ShapeInferenceTests
{
    public static TheoryData<string> Models => ["every_kind", "strided_same"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Inferred_output_and_weight_shapes_match_the_built_layers(string name)
    {
        var model = name == "every_kind"
            ? new Sequential(
                Layers.Input(9, 7, 2), Layers.Conv2D(4, 3, Activation.Relu), Layers.BatchNormalization(), Layers.MaxPooling2D(2),
                Layers.Activation(Activation.Tanh), Layers.Flatten(), Layers.Dropout(0.5), Layers.Dense(5, Activation.Softmax))
            : new Sequential(
                Layers.Input(11, 10, 3), Layers.Conv2D(6, (3, 2), (2, 3), Padding.Same), Layers.MaxPooling2D(3, strides: 2, padding: Padding.Same),
                Layers.Conv2D(2, 1), Layers.BatchNormalization(), Layers.Flatten(), Layers.Dense(3));
        model.Build();

        var shape = model.Layers[0].ComputeOutputShape([]);
        foreach (var layer in model.Layers.Skip(1))
        {
            var built = layer.Op.Parameters.Concat(layer.Op.State).Select(p => (p.Name, Shape: string.Join("x", p.Shape)));
            var inferred = layer.ComputeWeightShapes(shape).Select(w => (w.Name, Shape: string.Join("x", w.Shape)));
            Assert.Equal(built, inferred);
            shape = layer.ComputeOutputShape(shape);
            Assert.Equal(layer.OutputShape, shape);
        }
    }

    [Fact]
    public void Inference_rejects_a_layer_that_does_not_fit_its_input()
    {
        var dense = Layers.Dense(4, name: "head");

        var error = Assert.Throws<ArgumentException>(() => dense.ComputeWeightShapes([8, 8, 1]));

        Assert.Equal("Dense layer 'head' needs a flat input but gets (None, 8, 8, 1); add a Flatten layer before it.", error.Message);
    }
}
