using MnistMl.Nn;

namespace MnistMl.Training;

/// <summary>
/// A recipe: the architecture, the optimizer and loss, and how it is trained — the four classic
/// Keras MNIST notebooks as they were, and recipes of our own beyond them (<see cref="Fast"/>, <see cref="Accurate"/>).
/// <see cref="CreateModel"/> returns a compiled model; train it with <see cref="CreateFitOptions"/>
/// and, for a recipe with a learning-rate schedule, the optimizer of <see cref="CreateOptimizer"/>.
/// </summary>
public sealed class ModelPreset
{
    private readonly Func<Layer[]> _layers;
    private readonly Func<Optimizer> _optimizer;

    private ModelPreset(string name, string description, Func<Layer[]> layers, Func<Optimizer> optimizer, Loss loss, int batchSize, int epochs, double validationSplit, double? oneCyclePeakRate = null, ImageAugmentation? augmentation = null)
    {
        OneCyclePeakRate = oneCyclePeakRate;
        Augmentation = augmentation;
        Name = name;
        Description = description;
        _layers = layers;
        _optimizer = optimizer;
        Loss = loss;
        BatchSize = batchSize;
        Epochs = epochs;
        ValidationSplit = validationSplit;
    }

    /// <summary>The 34,826-parameter CNN: Conv 32 relu, pool, Conv 64 elu, pool, flatten, dropout 0.5, dense 10 softmax; Adam; batch 128; 15 epochs.</summary>
    public static ModelPreset Cnn { get; } = new(
        "cnn",
        "Conv2D 32 relu, MaxPool, Conv2D 64 elu, MaxPool, Flatten, Dropout 0.5, Dense 10 softmax; Adam; batch 128; 15 epochs",
        () =>
        [
            Layers.Input(28, 28, 1),
            Layers.Conv2D(32, 3, Activation.Relu), Layers.MaxPooling2D(2),
            Layers.Conv2D(64, 3, Activation.Elu), Layers.MaxPooling2D(2),
            Layers.Flatten(), Layers.Dropout(0.5), Layers.Dense(10, Activation.Softmax),
        ],
        () => new Adam(),
        Losses.CategoricalCrossentropy,
        batchSize: 128,
        epochs: 15,
        validationSplit: 0);

    /// <summary>The 407,050-parameter MLP: Dense 512 relu, Dense 10 softmax; RMSprop; batch 128; 5 epochs.</summary>
    public static ModelPreset Mlp { get; } = new(
        "mlp",
        "Flatten, Dense 512 relu, Dense 10 softmax; RMSprop; batch 128; 5 epochs",
        () => [Layers.Input(28, 28, 1), Layers.Flatten(), Layers.Dense(512, Activation.Relu), Layers.Dense(10, Activation.Softmax)],
        () => new RMSprop(),
        Losses.CategoricalCrossentropy,
        batchSize: 128,
        epochs: 5,
        validationSplit: 0);

    /// <summary>The two-conv CNN: Conv 64 relu, Conv 32 relu, pool, flatten, dense 10 softmax; Adam; batch 32; 10 epochs.</summary>
    public static ModelPreset Cnn64 { get; } = new(
        "cnn64",
        "Conv2D 64 relu, Conv2D 32 relu, MaxPool, Flatten, Dense 10 softmax; Adam; batch 32; 10 epochs",
        () =>
        [
            Layers.Input(28, 28, 1),
            Layers.Conv2D(64, 3, Activation.Relu), Layers.Conv2D(32, 3, Activation.Relu), Layers.MaxPooling2D(2),
            Layers.Flatten(), Layers.Dense(10, Activation.Softmax),
        ],
        () => new Adam(),
        Losses.CategoricalCrossentropy,
        batchSize: 32,
        epochs: 10,
        validationSplit: 0);

    /// <summary>The small DNN: Dense 50 relu, Dense 50 relu, Dense 10 softmax; Adam; sparse labels; batch 100; 10 epochs; 10% validation.</summary>
    public static ModelPreset Dnn { get; } = new(
        "dnn",
        "Flatten, Dense 50 relu, Dense 50 relu, Dense 10 softmax; Adam; sparse cross-entropy; batch 100; 10 epochs; validation split 0.1",
        () =>
        [
            Layers.Input(28, 28, 1), Layers.Flatten(),
            Layers.Dense(50, Activation.Relu), Layers.Dense(50, Activation.Relu), Layers.Dense(10, Activation.Softmax),
        ],
        () => new Adam(),
        Losses.SparseCategoricalCrossentropy,
        batchSize: 100,
        epochs: 10,
        validationSplit: 0.1);

    /// <summary>
    /// 99 % in seconds: Conv 16 5 × 5 relu, pool, Conv 32 relu, pool, dense 10 softmax; Adam on a
    /// one-cycle rate peaking at 0.02; sparse labels; batch 128; 2 epochs (0.9901–0.9922 test
    /// accuracy over seeds 0–4 in 6–7 s on 2 cores; docs/accuracy.md).
    /// </summary>
    public static ModelPreset Fast { get; } = new(
        "fast",
        "Conv2D 16 5x5 relu, MaxPool, Conv2D 32 relu, MaxPool, Flatten, Dense 10 softmax; Adam, one-cycle rate peaking at 0.02; sparse cross-entropy; batch 128; 2 epochs",
        () =>
        [
            Layers.Input(28, 28, 1),
            Layers.Conv2D(16, 5, Activation.Relu), Layers.MaxPooling2D(2),
            Layers.Conv2D(32, 3, Activation.Relu), Layers.MaxPooling2D(2),
            Layers.Flatten(), Layers.Dense(10, Activation.Softmax),
        ],
        () => new Adam(),
        Losses.SparseCategoricalCrossentropy,
        batchSize: 128,
        epochs: 2,
        validationSplit: 0,
        oneCyclePeakRate: 0.02);

    /// <summary>
    /// The most accurate single model: Chris Deotte's batch-normalised CNN (three 32-filter
    /// convolutions, the last 5 × 5 with stride 2 in place of pooling, three of 64 likewise, dense
    /// 128; dropout 0.4 after each stage; 327,242 parameters) trained on augmented images (rotation
    /// 10°, shifts and zoom 10 %); Adam on a one-cycle rate peaking at 0.005; sparse labels; batch
    /// 64; 20 epochs (docs/accuracy.md).
    /// </summary>
    public static ModelPreset Accurate { get; } = new(
        "accurate",
        "Conv2D 32, 32, 32 5x5 stride 2, 64, 64, 64 5x5 stride 2 (relu, batch norm, dropout 0.4 after each stage), Dense 128, Dense 10 softmax; augmentation: rotation 10, shift 0.1, zoom 0.1; Adam, one-cycle rate peaking at 0.005; sparse cross-entropy; batch 64; 20 epochs",
        () =>
        [
            Layers.Input(28, 28, 1),
            Layers.Conv2D(32, 3, Activation.Relu), Layers.BatchNormalization(),
            Layers.Conv2D(32, 3, Activation.Relu), Layers.BatchNormalization(),
            Layers.Conv2D(32, 5, Activation.Relu, strides: 2, padding: Padding.Same), Layers.BatchNormalization(), Layers.Dropout(0.4),
            Layers.Conv2D(64, 3, Activation.Relu), Layers.BatchNormalization(),
            Layers.Conv2D(64, 3, Activation.Relu), Layers.BatchNormalization(),
            Layers.Conv2D(64, 5, Activation.Relu, strides: 2, padding: Padding.Same), Layers.BatchNormalization(), Layers.Dropout(0.4),
            Layers.Flatten(), Layers.Dense(128, Activation.Relu), Layers.BatchNormalization(), Layers.Dropout(0.4),
            Layers.Dense(10, Activation.Softmax),
        ],
        () => new Adam(),
        Losses.SparseCategoricalCrossentropy,
        batchSize: 64,
        epochs: 20,
        validationSplit: 0,
        oneCyclePeakRate: 0.005,
        augmentation: new ImageAugmentation { RotationRange = 10, WidthShiftRange = 0.1, HeightShiftRange = 0.1, ZoomRange = 0.1 });

    /// <summary>All presets, by name.</summary>
    public static IReadOnlyList<ModelPreset> All { get; } = [Cnn, Mlp, Cnn64, Dnn, Fast, Accurate];

    /// <summary>How the recipe distorts its training images, or null when it trains on them as they are.</summary>
    public ImageAugmentation? Augmentation { get; }

    /// <summary>The peak of the recipe's one-cycle learning rate, or null when its optimizer keeps one rate (the notebook presets).</summary>
    public double? OneCyclePeakRate { get; }

    /// <summary>The preset's name: cnn, mlp, cnn64, dnn, fast or accurate.</summary>
    public string Name { get; }

    /// <summary>One line describing architecture and recipe.</summary>
    public string Description { get; }

    /// <summary>The loss it trains with.</summary>
    public Loss Loss { get; }

    /// <summary>Samples per step.</summary>
    public int BatchSize { get; }

    /// <summary>Epochs of the recipe.</summary>
    public int Epochs { get; }

    /// <summary>Fraction held out for validation (Keras semantics).</summary>
    public double ValidationSplit { get; }

    /// <summary>Whether targets are class indices (sparse loss) rather than one-hot vectors.</summary>
    public bool SparseTargets => Loss.SparseTargets;

    /// <summary>Finds a preset by name; unknown names list the known ones.</summary>
    /// <exception cref="ArgumentException">No preset has that name.</exception>
    public static ModelPreset Get(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown preset '{name}'. Known: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));

    /// <summary>A new compiled model of this recipe, its weights drawn from <paramref name="seed"/>.</summary>
    public Sequential CreateModel(long seed = 0)
    {
        var model = new Sequential(_layers()) { Name = Name, Seed = seed };
        model.Compile(_optimizer(), Loss, Metric.Accuracy);
        return model;
    }

    /// <summary>
    /// The recipe's optimizer for a run of <paramref name="totalSteps"/> steps: with its schedule
    /// spread over them for a recipe that has one (<see cref="OneCyclePeakRate"/>, or
    /// <paramref name="peakRate"/> instead), else as <see cref="CreateModel"/> compiles it (with
    /// <paramref name="peakRate"/> as its rate when given).
    /// </summary>
    public Optimizer CreateOptimizer(long totalSteps, double? peakRate = null)
    {
        if (OneCyclePeakRate is double peak && totalSteps >= 2)
        {
            return new Adam(schedule: LearningRateSchedule.OneCycle(peakRate ?? peak, totalSteps, warmupFraction: 0.2));
        }

        var optimizer = _optimizer();
        if (peakRate is double rate)
        {
            optimizer.LearningRate = rate;
        }

        return optimizer;
    }

    /// <summary>
    /// Compiles <paramref name="model"/> for a run of <paramref name="fit"/> over
    /// <paramref name="availableSamples"/> samples with the recipe's optimizer (its schedule, if it
    /// has one, spread over exactly that run) and loss: what training by the recipe means, for the
    /// trainer, <c>mnistml bench</c> and any caller of <see cref="CreateModel"/>.
    /// </summary>
    public void CompileFor(Sequential model, int availableSamples, FitOptions fit, double? learningRate = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(fit);
        var steps = (long)Math.Ceiling(fit.TrainingSamples(availableSamples) / (double)fit.BatchSize) * fit.Epochs;
        model.Compile(CreateOptimizer(steps, learningRate), model.Loss ?? Loss, Metric.Accuracy);
    }

    /// <summary>The recipe's fit options (epochs overridable), its augmentation included.</summary>
    public FitOptions CreateFitOptions(int? epochs = null) => new()
    {
        BatchSize = BatchSize,
        Epochs = epochs ?? Epochs,
        ValidationSplit = ValidationSplit,
        Augmentation = Augmentation,
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Description}";
}
