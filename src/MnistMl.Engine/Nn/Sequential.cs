namespace MnistMl.Nn;

/// <summary>
/// A stack of layers, trained and used as in Keras:
/// <code>
/// var net = new Sequential(
///     Layers.Input(28, 28, 1),
///     Layers.Conv2D(32, 3, Activation.Relu), Layers.MaxPooling2D(2),
///     Layers.Flatten(), Layers.Dense(10, Activation.Softmax));
/// net.Compile(new Adam(), Losses.CategoricalCrossentropy, Metric.Accuracy);
/// net.Summary();
/// var history = net.Fit(x, y, batchSize: 128, epochs: 15, validationSplit: 0.1);
/// </code>
/// One <see cref="Seed"/> fixes the initial weights, the shuffling and the dropout masks, so a run
/// is bit-for-bit repeatable for any thread count.
/// </summary>
public sealed partial class Sequential
{
    private readonly List<Layer> _layers = [];
    private Network<float>? _network;
    /// <summary>The stream of training-image distortions: apart from the weights and dropout masks (1) and shuffling (2).</summary>
    private const ulong AugmentationStream = 3;

    private RandomSource _shuffle = new(0, stream: 2);
    private long _seed;
    private string _name = "sequential";

    /// <summary>Creates a model from layers, the first being <see cref="Layers.Input"/>.</summary>
    public Sequential(params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers)
        {
            Add(layer);
        }
    }

    /// <summary>The model's name, shown by <see cref="Summary"/>.</summary>
    public string Name
    {
        get => _name;
        set => _name = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("A model needs a name.", nameof(value)) : value;
    }

    /// <summary>
    /// The seed of the initial weights, the per-epoch shuffles and the dropout masks. Set it before
    /// the model is built (by <see cref="Compile"/>, <see cref="Build"/> or <see cref="Summary"/>). Default 0.
    /// </summary>
    public long Seed
    {
        get => _seed;
        set
        {
            ThrowIfBuilt();
            _seed = value;
        }
    }

    /// <summary>The layers, input layer first.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The optimizer given to <see cref="Compile"/>.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss given to <see cref="Compile"/>.</summary>
    public Loss? Loss { get; private set; }

    /// <summary>The metrics given to <see cref="Compile"/>.</summary>
    public IReadOnlyList<Metric> Metrics { get; private set; } = [];

    /// <summary>Set by a callback to end <c>Fit</c> after the current epoch (Keras's <c>model.stop_training</c>).</summary>
    public bool StopTraining { get; set; }

    /// <summary>Whether the layers' weights exist.</summary>
    public bool IsBuilt => _network is not null;

    /// <summary>Shape of one input sample.</summary>
    public IReadOnlyList<int> InputShape => Network.InputShape;

    /// <summary>Shape of one output sample.</summary>
    public IReadOnlyList<int> OutputShape => Network.OutputShape;

    internal Network<float> Network => _network ?? Build();

    /// <summary>Adds a layer on top.</summary>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ThrowIfBuilt();
        if (_layers.Contains(layer))
        {
            throw new ArgumentException($"Layer '{layer.Name ?? layer.TypeName}' is already in this model.", nameof(layer));
        }

        _layers.Add(layer);
    }

    /// <summary>Creates the weights (glorot-uniform kernels, zero biases) from <see cref="Seed"/>.</summary>
    /// <exception cref="InvalidOperationException">The first layer is not an input layer, or a layer does not fit its input.</exception>
    internal Network<float> Build()
    {
        if (_network is not null)
        {
            return _network;
        }

        NameLayers();
        Network<float> network;
        try
        {
            network = Network<float>.Build(_layers, _seed);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Model '{Name}' cannot be built: {ex.Message}", ex);
        }

        for (var i = 1; i < _layers.Count; i++)
        {
            _layers[i].Bind(network.Ops[i - 1]);
        }

        _shuffle = new RandomSource(_seed, stream: 2);
        _network = network;
        return network;
    }

    /// <summary>Chooses how the model learns: optimizer, loss and the metrics to report.</summary>
    public void Compile(Optimizer optimizer, Loss loss, params Metric[] metrics)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(metrics);
        var network = Build();
        Optimizer = optimizer;
        Loss = loss;
        Metrics = [.. metrics.Distinct()];
        var last = network.Ops.Length > 0 ? network.Ops[^1] : null;
        if (last is not null)
        {
            last.OutputGradientIsPreActivation = loss.FusesWithSoftmax && _layers[^1] is { } top && OutputActivation(top) == Activation.Softmax;
        }
    }

    /// <summary>Total number of weights (trainable and not).</summary>
    public int CountParams()
    {
        _ = Network;
        return _layers.Sum(l => l.ParameterCount);
    }

    internal bool HasAccuracy => Metrics.Contains(Metric.Accuracy);

    /// <summary>
    /// A predictor with its own network holding a copy of the current weights, so it can run on
    /// another thread than training or other predictors.
    /// </summary>
    internal Predictor CreatePredictor(int capacity)
    {
        var copy = Network<float>.Build(_layers, _seed);
        var source = Network.Weights;
        for (var i = 0; i < source.Count; i++)
        {
            source[i].Value.CopyTo(copy.Weights[i].Value, 0);
        }

        return new Predictor(copy, capacity);
    }

    /// <summary>Copies of all weights, layer by layer, for snapshots (early stopping).</summary>
    internal float[][] CopyWeights() => [.. Network.Weights.Select(w => (float[])w.Value.Clone())];

    /// <summary>Restores weights taken by <see cref="CopyWeights"/>.</summary>
    internal void RestoreWeights(float[][] weights)
    {
        var targets = Network.Weights;
        for (var i = 0; i < targets.Count; i++)
        {
            weights[i].CopyTo(targets[i].Value, 0);
        }
    }

    private static Activation? OutputActivation(Layer layer) => layer switch
    {
        Dense d => d.Activation,
        Conv2D c => c.Activation,
        ActivationLayer a => a.Activation,
        _ => null,
    };

    private void NameLayers()
    {
        Layer.NameUnnamed(_layers);

        var duplicate = _layers.GroupBy(l => l.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two layers are named '{duplicate.Key}'; layer names must be unique.");
        }
    }

    private void ThrowIfBuilt()
    {
        if (_network is not null)
        {
            throw new InvalidOperationException($"Model '{Name}' is already built; its layers and seed are fixed.");
        }
    }
}
