
namespace MnistMl.Nn;

/// <summary>
/// Factory for layers, named and defaulted as in Keras (<c>keras.layers</c>):
/// <c>Layers.Conv2D(32, 3, Activation.Relu)</c>.
/// </summary>
public static class Layers
{
    /// <summary>The shape of one input sample, e.g. <c>Input(28, 28, 1)</c>.</summary>
    public static InputLayer Input(params int[] shape) => new(shape, null);

    /// <summary>A fully connected layer of <paramref name="units"/> outputs.</summary>
    public static Dense Dense(int units, Activation activation = Nn.Activation.Linear, string? name = null) =>
        new(units, activation, name);

    /// <summary>A 2-D convolution with a square kernel and stride.</summary>
    public static Conv2D Conv2D(int filters, int kernelSize, Activation activation = Nn.Activation.Linear, int strides = 1, Padding padding = Padding.Valid, string? name = null) =>
        new(filters, (kernelSize, kernelSize), (strides, strides), padding, activation, name);

    /// <summary>A 2-D convolution with a rectangular kernel and stride.</summary>
    public static Conv2D Conv2D(int filters, (int Height, int Width) kernelSize, (int Height, int Width) strides, Padding padding = Padding.Valid, Activation activation = Nn.Activation.Linear, string? name = null) =>
        new(filters, kernelSize, strides, padding, activation, name);

    /// <summary>Max pooling over square windows; the stride defaults to the window size.</summary>
    public static MaxPooling2D MaxPooling2D(int poolSize = 2, int? strides = null, Padding padding = Padding.Valid, string? name = null) =>
        new((poolSize, poolSize), strides is int s ? (s, s) : null, padding, name);

    /// <summary>Flattens each sample to one dimension.</summary>
    public static Flatten Flatten(string? name = null) => new(name);

    /// <summary>Inverted dropout of the given rate, active only in training.</summary>
    public static Dropout Dropout(double rate, string? name = null) => new(rate, name);

    /// <summary>Batch normalisation over the last axis.</summary>
    public static BatchNormalization BatchNormalization(double momentum = 0.99, double epsilon = 0.001, string? name = null) =>
        new(momentum, epsilon, name);

    /// <summary>
    /// Networks side by side on one input, their outputs averaged (see <see cref="Nn.Ensemble"/>):
    /// each member is its layers after the input. To put trained models together, use <see cref="Sequential.Ensemble"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 2 or more than <see cref="Nn.Ensemble.MaxMembers"/> members, an empty member, or one holding an input layer or an ensemble.</exception>
    public static Ensemble Ensemble(IReadOnlyList<IReadOnlyList<Layer>> members, string? name = null) => new(members, name);

    /// <summary>An activation on its own.</summary>
    public static ActivationLayer Activation(Activation activation, string? name = null) => new(activation, name);
}
