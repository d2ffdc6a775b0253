using System.Numerics;

namespace MnistMl.Nn;

/// <summary>
/// A layer of a <see cref="Sequential"/> model: its configuration (what Keras calls the config)
/// and, once the model is built, its weights. Create layers through <see cref="Nn.Layers"/>' factory methods.
/// </summary>
public abstract class Layer
{
    private LayerOp<float>? _op;

    private protected Layer(string? name)
    {
        Name = name;
    }

    /// <summary>The layer's name, unique in its model (e.g. <c>conv2d_1</c>); null until built unless given.</summary>
    public string? Name { get; internal set; }

    /// <summary>Keras's class name, e.g. <c>Conv2D</c>.</summary>
    public abstract string TypeName { get; }

    /// <summary>Output shape of one sample (no batch dimension); null until the model is built.</summary>
    public IReadOnlyList<int>? OutputShape => _op?.OutputShape;

    /// <summary>Number of weights (trainable and not).</summary>
    public int ParameterCount => _op is null ? 0 : _op.Parameters.Sum(p => p.Value.Length) + _op.State.Sum(p => p.Value.Length);

    /// <summary>Number of weights the optimizer trains.</summary>
    public int TrainableParameterCount => _op is null ? 0 : _op.Parameters.Sum(p => p.Value.Length);

    /// <summary>The float32 computation of this layer in its model.</summary>
    internal LayerOp<float> Op => _op ?? throw new InvalidOperationException($"Layer '{Name}' is not built yet.");

    internal bool IsBuilt => _op is not null;

    /// <summary>Base for automatic names: Keras's snake_case of the type name.</summary>
    internal abstract string DefaultNamePrefix { get; }

    /// <summary>Copies of the layer's weights in Keras's order (e.g. kernel, bias), each with its shape.</summary>
    public IReadOnlyList<Tensor> GetWeights() =>
        _op is null ? [] : [.. _op.Weights.Select(p => new Tensor(p.Shape, p.Value))];

    /// <summary>Creates the computation for an input of <paramref name="inputShape"/>, drawing initial weights from <paramref name="random"/>.</summary>
    internal abstract LayerOp<T> CreateOp<T>(int[] inputShape, RandomSource random, long seed)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// The output shape of one sample for an input of <paramref name="inputShape"/> (Keras's
    /// <c>compute_output_shape</c>), computed without building anything, so a model file's
    /// architecture can be checked before any weight is allocated.
    /// </summary>
    /// <exception cref="ArgumentException">The layer does not fit that input.</exception>
    internal abstract int[] ComputeOutputShape(int[] inputShape);

    /// <summary>
    /// The names and shapes of the weights the layer creates for <paramref name="inputShape"/>, in
    /// save order (trainable, then state), without allocating them. The shapes' products may exceed
    /// what an array can hold: callers check them.
    /// </summary>
    /// <exception cref="ArgumentException">The layer does not fit that input.</exception>
    internal virtual IReadOnlyList<(string Name, int[] Shape)> ComputeWeightShapes(int[] inputShape) => [];

    /// <summary>The Keras-like config saved with models: constructor arguments by name.</summary>
    internal abstract IReadOnlyDictionary<string, object> GetConfig();

    /// <summary>Names the unnamed ones of <paramref name="layers"/> as Keras does, by type and skipping names taken: <c>conv2d</c>, <c>conv2d_1</c>, ...</summary>
    internal static void NameUnnamed(IReadOnlyList<Layer> layers)
    {
        var taken = new HashSet<string>(layers.Where(l => l.Name is not null).Select(l => l.Name!), StringComparer.Ordinal);
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var layer in layers.Where(l => l.Name is null))
        {
            var prefix = layer.DefaultNamePrefix;
            string name;
            do
            {
                var n = counters.GetValueOrDefault(prefix);
                counters[prefix] = n + 1;
                name = n == 0 ? prefix : $"{prefix}_{n}";
            }
            while (!taken.Add(name));
            layer.Name = name;
        }
    }

    internal void Bind(LayerOp<float> op)
    {
        if (_op is not null)
        {
            throw new InvalidOperationException($"Layer '{Name}' already belongs to a built model; create a new layer for each model.");
        }

        _op = op;
    }
}
