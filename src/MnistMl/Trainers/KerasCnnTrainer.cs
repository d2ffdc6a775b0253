using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Nn;
using MnistMl.Nn.Kernels;
using MnistMl.Training;

namespace MnistMl.Trainers;

/// <summary>
/// An ML.NET trainer that fits a Keras-style network on MnistMl's engine: a named preset (the
/// notebooks' <c>cnn</c> by default) or your own <see cref="Sequential"/>. Reach it as
/// <c>ml.MulticlassClassification.Trainers.KerasCnn(...)</c>.
/// <code>
/// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
///     .Append(ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { FeatureColumnName = "Image" }));
/// </code>
/// </summary>
/// <remarks>
/// Features are a Byte or Single vector of the network's input size, in any shape: grey levels
/// (Byte) are scaled to [0, 1] the way the presets were trained, floats are taken as they are. The
/// label is a key whose key k stands for class k − 1, or an integer class. <see cref="Fit"/> reads
/// the columns once (grey levels stay bytes), trains with the preset's loss and recipe, and gives a
/// <see cref="KerasCnnTransformer"/> that scores on the same engine, in process.
/// </remarks>
public sealed class KerasCnnTrainer : IEstimator<KerasCnnTransformer>
{
    private readonly Options _options;

    /// <summary>Creates the trainer; it reads <paramref name="options"/> when <see cref="Fit"/> runs.</summary>
    /// <exception cref="ArgumentException">The preset is unknown.</exception>
    public KerasCnnTrainer(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = ModelPreset.Get(options.Preset);
        _options = options;
    }

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <exception cref="Data.SchemaMismatchException">The feature or label column is missing or of a type the trainer cannot use, or there are no rows.</exception>
    /// <exception cref="Data.DataValueException">A row holds a label that is not a class or a feature that is not finite.</exception>
    /// <exception cref="OperationCanceledException"><see cref="Options.CancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite: training stops there and no model is returned.</exception>
    public KerasCnnTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var preset = ModelPreset.Get(_options.Preset);
        var model = _options.ResumeFrom is { } resumed
            ? Resumable(resumed, preset)
            : _options.Model is { } build
                ? build() ?? throw new InvalidOperationException("Options.Model returned no model.")
                : preset.CreateModel(_options.Seed);
        if (!model.IsBuilt)
        {
            model.Seed = _options.Seed;
        }

        var loss = model.Loss ?? preset.Loss;
        var optimizer = _options.Optimizer?.Invoke() ?? model.Optimizer ?? new Adam();
        if (_options.LearningRate is double rate)
        {
            optimizer.LearningRate = rate;
        }

        model.Compile(optimizer, loss, Metric.Accuracy);
        var columns = Columns(model);
        var oneHot = !loss.SparseTargets;
        var train = LabelledImages.Read(input, columns, [.. model.InputShape], oneHot, _options.CancellationToken);
        var fit = preset.CreateFitOptions(_options.Epochs);
        fit.BatchSize = _options.BatchSize ?? fit.BatchSize;
        fit.ValidationSplit = _options.ValidationFraction ?? fit.ValidationSplit;
        if (_options.ValidationData is { } validation)
        {
            fit.ValidationSplit = 0;
            fit.ValidationData = LabelledImages.Read(validation, columns, [.. model.InputShape], oneHot, _options.CancellationToken);
        }

        if (preset.OneCyclePeakRate is not null && _options.Optimizer is null && _options.Model is null)
        {
            // The schedule spans the whole run, so it is made once the run's length is known.
            preset.CompileFor(model, train.Count, fit, _options.LearningRate);
        }

        fit.ResumeFrom = _options.ResumeFrom?.TrainingState;
        fit.Augmentation = _options.Augmentation ?? fit.Augmentation;

        // First, so that no later callback sees a diverged batch as a normal one.
        var divergence = new TerminateOnNaN();
        fit.Callbacks.Add(divergence);
        foreach (var callback in _options.Callbacks)
        {
            fit.Callbacks.Add(callback);
        }

        var history = _options.Threads is int threads ? FitOn(threads, () => model.Fit(train, fit, _options.CancellationToken)) : model.Fit(train, fit, _options.CancellationToken);
        divergence.ThrowIfTerminated();
        return KerasCnnTransformer.Fitted(model, columns, columns.Features(input.Schema), columns.Label(input.Schema), history);
    }

    /// <summary>The network of a saved unfinished run, once it is known to be the run these options describe.</summary>
    /// <exception cref="ArgumentException">The file holds a finished model, or another recipe's run.</exception>
    private Sequential Resumable(Persistence.LoadedModel saved, ModelPreset preset)
    {
        if (saved.TrainingState is null)
        {
            throw new ArgumentException("The model to resume holds no training state: it is a finished model, not a run to continue.", nameof(saved));
        }

        CheckSameRun(saved.Model, _options, preset);
        return saved.Model;
    }

    /// <summary>Checks that a saved network comes from the run <paramref name="options"/> describe: the same preset (unless the options build their own model) and seed.</summary>
    /// <exception cref="ArgumentException">It does not.</exception>
    internal static void CheckSameRun(Sequential saved, Options options, ModelPreset preset)
    {
        if ((options.Model is null && saved.Name != preset.Name) || saved.Seed != options.Seed)
        {
            throw new ArgumentException(
                $"The saved run trained a '{saved.Name}' model with seed {saved.Seed}; this run trains '{(options.Model is null ? preset.Name : "your own model")}' with seed {options.Seed}. Resume with the options of the saved run, or train to another file.", nameof(saved));
        }
    }

    /// <summary>
    /// The schema <see cref="Fit"/>'s transformer gives: the input's columns, then <c>Score</c>
    /// (Single vector, slot i = class i) and <c>PredictedLabel</c> (a key of the classes).
    /// </summary>
    /// <exception cref="Data.SchemaMismatchException">The feature or label column is missing or of a type the trainer cannot use.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var (features, label) = (_options.FeatureColumnName, _options.LabelColumnName);
        var feature = inputSchema.FirstOrDefault(c => c.Name == features);
        if (feature.Name is null)
        {
            throw Data.SchemaMismatchException.MissingColumn(features, "feature", inputSchema.Select(c => c.Name));
        }

        if (feature.Kind != SchemaShape.Column.VectorKind.Vector || !(feature.ItemType == NumberDataViewType.Byte || feature.ItemType == NumberDataViewType.Single))
        {
            throw new Data.SchemaMismatchException(features, $"Feature column '{features}' must be a Byte or Single vector of known size; it is {feature.Kind} of {feature.ItemType}.");
        }

        var labelColumn = inputSchema.FirstOrDefault(c => c.Name == label);
        if (labelColumn.Name is null)
        {
            throw Data.SchemaMismatchException.MissingColumn(label, "label", inputSchema.Select(c => c.Name));
        }

        // SchemaShape's columns cannot be made outside ML.NET: built-in estimators derive the two
        // added columns from the features (a Single vector) and the label (a key with its values).
        var ml = new MLContext();
        var labelKey = labelColumn.IsKey
            ? (IEstimator<ITransformer>)ml.Transforms.CopyColumns(KerasCnnTransformer.PredictedLabelColumnName, label)
            : ml.Transforms.Conversion.MapValueToKey(KerasCnnTransformer.PredictedLabelColumnName, label);
        var outputs = ml.Transforms.Conversion.ConvertType(KerasCnnTransformer.ScoreColumnName, features, DataKind.Single)
            .Append(labelKey)
            .GetOutputSchema(inputSchema);
        return new SchemaShape(outputs.Where(c => c.Name is not (KerasCnnTransformer.ScoreColumnName or KerasCnnTransformer.PredictedLabelColumnName))
            .Concat(outputs.Where(c => c.Name == KerasCnnTransformer.ScoreColumnName))
            .Concat(outputs.Where(c => c.Name == KerasCnnTransformer.PredictedLabelColumnName)));
    }

    /// <summary>Runs <paramref name="fit"/> with the engine's worker count set to <paramref name="threads"/>, then puts it back.</summary>
    private static History FitOn(int threads, Func<History> fit)
    {
        var previous = WorkerPool.MaxThreads;
        WorkerPool.MaxThreads = threads;
        try
        {
            return fit();
        }
        finally
        {
            WorkerPool.MaxThreads = previous;
        }
    }

    private TrainerColumns Columns(Sequential model) =>
        new(_options.FeatureColumnName, _options.LabelColumnName, Shapes.Product([.. model.InputShape]), Shapes.Product([.. model.OutputShape]));

    /// <summary>What to train and how; values left null come from the preset.</summary>
    public sealed class Options
    {
        private int? _threads;

        /// <summary>The recipe: <c>cnn</c>, <c>mlp</c>, <c>cnn64</c> or <c>dnn</c>. Default <see cref="Defaults.Preset"/>.</summary>
        public string Preset { get; set; } = Defaults.Preset;

        /// <summary>Builds your own network instead of the preset's; its input size must be the features' size. Its loss, if compiled with one, is kept.</summary>
        public Func<Sequential>? Model { get; set; }

        /// <summary>Epochs; the preset's when null.</summary>
        public int? Epochs { get; set; }

        /// <summary>Samples per step; the preset's when null.</summary>
        public int? BatchSize { get; set; }

        /// <summary>
        /// Makes the optimizer, e.g. <c>() =&gt; new RMSprop()</c> or <c>() =&gt; Optimizers.Get("sgd")</c>;
        /// the preset's (or your model's) when null. A factory, because an optimizer keeps state
        /// (step count, moments) and each fit needs a fresh one to be repeatable.
        /// </summary>
        public Func<Optimizer>? Optimizer { get; set; }

        /// <summary>Overrides the optimizer's learning rate.</summary>
        public double? LearningRate { get; set; }

        /// <summary>Fraction of rows held out for validation (the last rows, Keras's <c>validation_split</c>); the preset's when null.</summary>
        public double? ValidationFraction { get; set; }

        /// <summary>Rows to validate on after every epoch instead of a held-out fraction.</summary>
        public IDataView? ValidationData { get; set; }

        /// <summary>
        /// Random distortions of every training batch (rotation, shift, zoom, shear, elastic; see
        /// <see cref="ImageAugmentation"/>), drawn from <see cref="Seed"/>; the preset's when null
        /// (the notebook presets have none).
        /// </summary>
        public ImageAugmentation? Augmentation { get; set; }

        /// <summary>Fixes the weights' initialisation, the shuffles and the dropout masks: the whole run, bit for bit. Default 0.</summary>
        public long Seed { get; set; }

        /// <summary>
        /// Worker threads for this fit; null for the engine's setting (every core). The weights do not
        /// depend on it. The engine's worker count is one for the process: fits running at the same
        /// time in one process share the last one set.
        /// </summary>
        public int? Threads
        {
            get => _threads;
            set => _threads = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(value), value, "Threads must be at least 1.") : value;
        }

        /// <summary>The features column. Default <see cref="Defaults.FeatureColumnName"/>.</summary>
        public string FeatureColumnName { get; set; } = Defaults.FeatureColumnName;

        /// <summary>The label column. Default <see cref="Defaults.LabelColumnName"/>.</summary>
        public string LabelColumnName { get; set; } = Defaults.LabelColumnName;

        /// <summary>Callbacks: progress, early stopping, checkpoints, learning-rate schedules.</summary>
        public IList<Callback> Callbacks { get; private set; } = [];

        /// <summary>Stops training after the current batch.</summary>
        public CancellationToken CancellationToken { get; set; }

        /// <summary>
        /// Continue the unfinished run saved in this model file (<c>ModelFile.Load(path)</c>, written
        /// with a <see cref="TrainingState"/>) instead of starting afresh: its network and weights
        /// are trained on from the next epoch, bit-identically to a run that never stopped. The
        /// rest of the options must describe the same run (preset, seed, batch size, validation,
        /// optimizer, callbacks); <see cref="Epochs"/> may be larger.
        /// </summary>
        public Persistence.LoadedModel? ResumeFrom { get; set; }

        /// <summary>A copy with a list of callbacks of its own, for a caller that adds to it.</summary>
        internal Options Copy()
        {
            var copy = (Options)MemberwiseClone();
            copy.Callbacks = [.. Callbacks];
            return copy;
        }

        /// <summary>The defaults, as constants.</summary>
        public static class Defaults
        {
            /// <summary>The notebooks' two-convolution network.</summary>
            public const string Preset = "cnn";

            /// <summary>The column <c>LoadMnist</c> puts the grey levels in.</summary>
            public const string FeatureColumnName = "Image";

            /// <summary>ML.NET's label column.</summary>
            public const string LabelColumnName = "Label";
        }
    }
}
