using MnistMl.Data;
using MnistMl.Nn;
using MnistMl.Transforms;

namespace MnistMl.Training;

/// <summary>
/// Trains a Keras-style image classifier on a data view: a named preset (default <c>cnn</c>) or
/// your own <see cref="Sequential"/>. <see cref="Fit"/> returns a <see cref="MulticlassPredictionTransformer"/>
/// that scores views and holds the network and its history. Integer labels train with sparse
/// cross-entropy, one-hot labels with categorical cross-entropy: the same loss either way.
/// </summary>
public sealed class CnnTrainer : IEstimator<MulticlassPredictionTransformer>
{
    private readonly Options _options;
    private readonly long _seed;

    internal CnnTrainer(Options options, long seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = ModelPreset.Get(options.Preset);
        _options = options;
        _seed = options.Seed ?? seed;
    }

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <exception cref="SchemaMismatchException">The feature or label column is missing or of a type the trainer cannot read.</exception>
    /// <exception cref="OperationCanceledException"><see cref="Options.CancellationToken"/> was cancelled.</exception>
    public MulticlassPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var source = new DataViewSampleSource(input, _options.FeatureColumnName, _options.LabelColumnName);
        var preset = ModelPreset.Get(_options.Preset);
        Sequential model;
        if (_options.Model is { } build)
        {
            model = build() ?? throw new InvalidOperationException("Options.Model returned no model.");
            if (!model.IsBuilt)
            {
                model.Seed = _seed;
            }
        }
        else
        {
            model = preset.CreateModel(_seed);
        }

        var optimizer = _options.Optimizer ?? model.Optimizer ?? new Adam();
        if (_options.LearningRate is double rate)
        {
            optimizer.LearningRate = rate;
        }

        var loss = source.TargetWidth == 1 ? Losses.SparseCategoricalCrossentropy : Losses.CategoricalCrossentropy;
        model.Compile(optimizer, loss, Metric.Accuracy);
        var fit = preset.CreateFitOptions(_options.Epochs);
        fit.BatchSize = _options.BatchSize ?? fit.BatchSize;
        fit.ValidationSplit = _options.ValidationFraction ?? fit.ValidationSplit;
        foreach (var callback in _options.Callbacks)
        {
            fit.Callbacks.Add(callback);
        }

        var history = model.Fit(source, fit, _options.CancellationToken);
        return new MulticlassPredictionTransformer(model, _options.FeatureColumnName, history);
    }

    /// <summary>What to train and how; unset values come from the preset.</summary>
    public sealed class Options
    {
        /// <summary>The recipe: <c>cnn</c>, <c>mlp</c>, <c>cnn64</c> or <c>dnn</c>. Default <c>cnn</c>.</summary>
        public string Preset { get; set; } = Defaults.Preset;

        /// <summary>Builds your own model instead of the preset's (its input shape must match the features).</summary>
        public Func<Sequential>? Model { get; set; }

        /// <summary>Epochs; the preset's when null.</summary>
        public int? Epochs { get; set; }

        /// <summary>Batch size; the preset's when null.</summary>
        public int? BatchSize { get; set; }

        /// <summary>The optimizer; the preset's (or your model's) when null.</summary>
        public Optimizer? Optimizer { get; set; }

        /// <summary>Overrides the optimizer's learning rate.</summary>
        public double? LearningRate { get; set; }

        /// <summary>Fraction of rows held out for validation (the last rows, Keras semantics); the preset's when null.</summary>
        public double? ValidationFraction { get; set; }

        /// <summary>Seed of the whole training run; the context's next seed when null.</summary>
        public long? Seed { get; set; }

        /// <summary>The images column. Default <c>Image</c>.</summary>
        public string FeatureColumnName { get; set; } = Defaults.FeatureColumnName;

        /// <summary>The labels column (integer class or one-hot). Default <c>Label</c>.</summary>
        public string LabelColumnName { get; set; } = Defaults.LabelColumnName;

        /// <summary>Callbacks such as progress reporting or early stopping.</summary>
        public IList<Callback> Callbacks { get; } = [];

        /// <summary>Stops training after the current batch.</summary>
        public CancellationToken CancellationToken { get; set; }

        /// <summary>The defaults, as constants.</summary>
        public static class Defaults
        {
            /// <summary>The default preset.</summary>
            public const string Preset = "cnn";

            /// <summary>The default feature column.</summary>
            public const string FeatureColumnName = MnistColumnNames.Image;

            /// <summary>The default label column.</summary>
            public const string LabelColumnName = MnistColumnNames.Label;
        }
    }
}
