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

    private Network(int[] inputShape, LayerOp<T>[] ops, string[] layerNames)
    {
        LayerNames = layerNames;
        InputShape = inputShape;
        Ops = ops;
        InputSize = Shapes.Product(inputShape);
        OutputShape = ops.Length == 0 ? inputShape : ops[^1].OutputShape;
        OutputSize = Shapes.Product(OutputShape);
        Parameters = [.. ops.SelectMany(op => op.Parameters)];
        Weights = [.. ops.SelectMany(op => op.Weights)];

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

    /// <summary>The name of each op's layer.</summary>
    public string[] LayerNames { get; }

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

        for (var i = 1; i < layers.Count; i++)
        {
            if (layers[i] is InputLayer)
            {
                throw new InvalidOperationException($"Layer {i} is a second input layer; only the first layer may be one.");
            }
        }

        return Chain(input.Shape.ToArray(), layers.Skip(1).ToArray(), new RandomSource(seed, stream: 1), seed);
    }

    /// <summary>The computations of <paramref name="layers"/> (no input layer) on inputs of <paramref name="inputShape"/>, initial weights drawn from <paramref name="random"/> in layer order.</summary>
    public static Network<T> Chain(int[] inputShape, IReadOnlyList<Layer> layers, RandomSource random, long seed)
    {
        var shape = inputShape;
        var ops = new LayerOp<T>[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            ops[i] = layers[i].CreateOp<T>(shape, random, seed);
            shape = ops[i].OutputShape;
        }

        return new Network<T>(inputShape, ops, [.. layers.Select(l => l.Name ?? l.DefaultNamePrefix)]);
    }

    /// <summary>Every op, those inside ensembles included, in order.</summary>
    public IEnumerable<LayerOp<T>> AllOps => Ops.SelectMany(op => op is EnsembleOp<T> ensemble ? ensemble.Members.SelectMany(m => m.AllOps) : [op]);

    public T[] Forward(T[] input, int batch, bool training)
    {
        var x = input;
        foreach (var op in Ops)
        {
            x = op.Forward(x, batch, training);
        }

        return x;
    }

    /// <summary>
    /// Whether <see cref="Backward"/> also gives the gradient with respect to the input: for an
    /// ensemble's member when layers before the ensemble learn. Off by default.
    /// </summary>
    public bool ComputesInputGradient
    {
        get;
        set
        {
            field = value;
            if (_firstTrainable >= 0)
            {
                Ops[_firstTrainable].SkipInputGradient = !value;
            }
        }
    }

    /// <summary>
    /// Backpropagates the loss gradient; afterwards every parameter holds its gradient. Returns the
    /// gradient with respect to the input when <see cref="ComputesInputGradient"/>, else null.
    /// </summary>
    public T[]? Backward(T[] outputGradient, int batch)
    {
        var last = ComputesInputGradient ? 0 : _firstTrainable;
        if (last < 0)
        {
            return null;
        }

        var g = outputGradient;
        for (var i = Ops.Length - 1; i >= last; i--)
        {
            g = Ops[i].Backward(g, batch);
        }

        return ComputesInputGradient ? g : null;
    }
}
