using System.Numerics;

namespace MnistMl.Nn;

/// <summary>
/// The layers' computations of one model in one precision, run in sequence. <see cref="Sequential"/>
/// owns a float32 network; the gradient checks build a float64 one from the same layers.
/// </summary>
internal sealed class Network<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Index of the first op with trainable weights, or −1 when there is none.</summary>
    private readonly int _firstTrainable;

    private Network(int[] inputShape, LayerOp<T>[] ops)
    {
        InputShape = inputShape;
        Ops = ops;
        InputSize = Shapes.Product(inputShape);
        OutputShape = ops.Length == 0 ? inputShape : ops[^1].OutputShape;
        OutputSize = Shapes.Product(OutputShape);
        Parameters = [.. ops.SelectMany(op => op.Parameters)];
        Weights = [.. ops.SelectMany(op => op.Parameters.Concat(op.State))];

        // A convolution pools its own outputs when a max pooling follows it (same results).
        for (var i = 0; i + 1 < ops.Length; i++)
        {
            if (ops[i] is Conv2DOp<T> conv && ops[i + 1] is MaxPooling2DOp<T> pool)
            {
                conv.PoolInto(pool);
            }
        }

        // Gradients need to flow back only as far as the first layer with weights: nothing before
        // it learns (a Flatten in front of the mlp's first Dense would otherwise cost that Dense a
        // whole input-gradient product per step).
        _firstTrainable = Array.FindIndex(ops, op => op.Parameters.Count > 0);
        if (_firstTrainable >= 0)
        {
            ops[_firstTrainable].SkipInputGradient = true;
        }
    }

    public int[] InputShape { get; }

    public int InputSize { get; }

    public int[] OutputShape { get; }

    public int OutputSize { get; }

    public LayerOp<T>[] Ops { get; }

    /// <summary>Trainable weights, layer by layer, in Keras's order.</summary>
    public IReadOnlyList<ParameterBuffer<T>> Parameters { get; }

    /// <summary>All weights (trainable and state), in the order they are saved.</summary>
    public IReadOnlyList<ParameterBuffer<T>> Weights { get; }

    /// <summary>
    /// Builds the computations of <paramref name="layers"/> (the first being an <see cref="InputLayer"/>),
    /// drawing initial weights from the seed's initialisation stream in layer order.
    /// </summary>
    public static Network<T> Build(IReadOnlyList<Layer> layers, long seed)
    {
        if (layers.Count == 0 || layers[0] is not InputLayer input)
        {
            throw new InvalidOperationException("A Sequential model must start with an input layer: Layers.Input(28, 28, 1).");
        }

        var random = new RandomSource(seed, stream: 1);
        var shape = input.Shape.ToArray();
        var ops = new LayerOp<T>[layers.Count - 1];
        for (var i = 1; i < layers.Count; i++)
        {
            if (layers[i] is InputLayer)
            {
                throw new InvalidOperationException($"Layer {i} is a second input layer; only the first layer may be one.");
            }

            ops[i - 1] = layers[i].CreateOp<T>(shape, random, seed);
            shape = ops[i - 1].OutputShape;
        }

        return new Network<T>(input.Shape.ToArray(), ops);
    }

    public T[] Forward(T[] input, int batch, bool training)
    {
        var x = input;
        foreach (var op in Ops)
        {
            x = op.Forward(x, batch, training);
        }

        return x;
    }

    /// <summary>Backpropagates the loss gradient; afterwards every parameter holds its gradient.</summary>
    public void Backward(T[] outputGradient, int batch)
    {
        if (_firstTrainable < 0)
        {
            return;
        }

        var g = outputGradient;
        for (var i = Ops.Length - 1; i >= _firstTrainable; i--)
        {
            g = Ops[i].Backward(g, batch);
        }
    }
}
