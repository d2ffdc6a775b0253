using System.Collections.Concurrent;
using System.Globalization;
using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Nn;
using MnistMl.Nn.Onnx;
using MnistMl.Persistence;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl;

/// <summary>
/// A trained digit classifier with its preprocessing: train it in one call, save it as a
/// <c>.zip</c>, load it anywhere and predict from pixels, from many threads at once.
/// <code>
/// var result = MnistModel.Train();                    // MNIST found or downloaded, the cnn recipe
/// Console.WriteLine(result.TestMetrics.MicroAccuracy);
/// result.Model.Save("mnist.zip");
///
/// var model = MnistModel.Load("mnist.zip");
/// DigitPrediction p = model.Predict(pixels);          // 784 grey levels, 0–255
/// DigitPrediction q = model.Predict(DigitImage.FromFile("seven.png"));   // any picture, made MNIST-like
/// </code>
/// </summary>
public sealed class MnistModel
{
    private readonly ConcurrentBag<PredictionEngine<DigitImage, DigitPrediction>> _engines = [];
    private readonly TransformerChain<ITransformer> _preprocessing;
    private readonly MulticlassPredictionTransformer _scorer;

    private MnistModel(TransformerChain<ITransformer> preprocessing, MulticlassPredictionTransformer scorer, DataViewSchema inputSchema, IReadOnlyDictionary<string, double> metrics, ModelManifest? manifest)
    {
        _preprocessing = preprocessing;
        _scorer = scorer;
        InputSchema = inputSchema;
        Metrics = metrics;
        Manifest = manifest;
        scorer.GetOutputSchema(preprocessing.GetOutputSchema(inputSchema));
    }

    /// <summary>The network.</summary>
    public Sequential Network => _scorer.Model;

    /// <summary>The training history; null for a model loaded from a file.</summary>
    public History? History => _scorer.History;

    /// <summary>The columns the model reads (an <c>Image</c> of 28 × 28 bytes for MNIST).</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Figures recorded with the model, e.g. <c>testAccuracy</c>.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>The manifest of the file the model was loaded from; null for a model trained in this process.</summary>
    public ModelManifest? Manifest { get; }

    /// <summary>The whole pipeline, preprocessing then scoring, as one transformer.</summary>
    public ITransformer Pipeline => new TransformerChain<ITransformer>([.. _preprocessing, _scorer]);

    /// <summary>
    /// Finds (or downloads) MNIST, trains the recipe, evaluates on the test images and returns the
    /// model with its test metrics and history.
    /// </summary>
    /// <param name="options">Recipe and data options; the <c>cnn</c> preset when null.</param>
    /// <param name="progress">Receives the figures after every batch.</param>
    /// <param name="cancellationToken">Stops training after the current batch (throws <see cref="OperationCanceledException"/>).</param>
    /// <exception cref="DataNotFoundException">MNIST is nowhere and cannot be downloaded.</exception>
    /// <exception cref="DataFormatException">An MNIST file is damaged.</exception>
    public static MnistTrainingResult Train(MnistTrainingOptions? options = null, IProgress<BatchLogs>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new MnistTrainingOptions();
        var trainSet = MnistDataset.Load(MnistSplit.Train, options.Data, cancellationToken);
        var testSet = MnistDataset.Load(MnistSplit.Test, options.Data, cancellationToken);
        var ml = new MnistContext(options.Seed);
        var train = ml.Data.LoadMnist(trainSet);
        var imageSchema = WithoutColumn(train.Schema, MnistColumnNames.Label);
        var preprocessing = new TransformerChain<ITransformer>(
            [.. ml.Transforms.ScalePixels().Append(ml.Transforms.Reshape(DigitImage.Size, DigitImage.Size, 1)).Fit(train)]);
        var trainer = ml.Trainers.Cnn(o =>
        {
            o.Preset = options.Preset;
            o.Epochs = options.Epochs;
            o.BatchSize = options.BatchSize;
            o.Optimizer = options.Optimizer;
            o.LearningRate = options.LearningRate;
            o.ValidationFraction = options.ValidationFraction;
            o.Seed = options.Seed;
            o.CancellationToken = cancellationToken;
            foreach (var callback in options.Callbacks)
            {
                o.Callbacks.Add(callback);
            }

            if (progress is not null)
            {
                o.Callbacks.Add(new ProgressReporter(progress));
            }

            if (options.CheckpointPath is { } path)
            {
                o.Callbacks.Add(new EpochCheckpoint(path, imageSchema, preprocessing));
            }
        });
        var scorer = trainer.Fit(preprocessing.Transform(train));
        var untested = new MnistModel(preprocessing, scorer, imageSchema, new Dictionary<string, double>(), null);
        var metrics = untested.Evaluate(testSet);
        var model = new MnistModel(preprocessing, scorer, imageSchema, MetricsOf(metrics), null);
        return new MnistTrainingResult(model, metrics, scorer.History!);
    }

    /// <summary>
    /// Wraps a fitted pipeline that ends with the CNN trainer. Transforms of the label column are
    /// left out: a model predicts from images alone.
    /// </summary>
    /// <param name="trained">The fitted pipeline (or the trainer's transformer alone).</param>
    /// <param name="inputSchema">The schema of the data it was fitted on.</param>
    /// <param name="labelColumnName">The label column whose transforms are dropped.</param>
    /// <exception cref="ArgumentException">The pipeline does not end with a trained classifier.</exception>
    public static MnistModel FromPipeline(ITransformer trained, DataViewSchema inputSchema, string labelColumnName = MnistColumnNames.Label)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var steps = Flatten(trained).ToList();
        if (steps.Count == 0 || steps[^1] is not MulticlassPredictionTransformer scorer)
        {
            throw new ArgumentException("The pipeline must end with a trained classifier (ml.Trainers.Cnn(...)).", nameof(trained));
        }

        var preprocessing = steps.Take(steps.Count - 1)
            .Where(t => t is not OneToOneColumnTransformer column || column.InputColumnName != labelColumnName)
            .ToArray();
        return new MnistModel(new TransformerChain<ITransformer>(preprocessing), scorer, WithoutColumn(inputSchema, labelColumnName), new Dictionary<string, double>(), null);
    }

    /// <summary>Loads a model saved by <see cref="Save"/> (or by <c>mnistml train</c>).</summary>
    /// <exception cref="ModelFormatException">The file is not a usable model; the message says why.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static MnistModel Load(string path)
    {
        var loaded = ModelFile.Load(path);
        var featureColumn = loaded.Preprocessing.OfType<OneToOneColumnTransformer>().LastOrDefault()?.OutputColumnName ?? MnistColumnNames.Image;
        var scorer = new MulticlassPredictionTransformer(loaded.Model, featureColumn, history: null);
        try
        {
            return new MnistModel(loaded.Preprocessing, scorer, loaded.InputSchema, loaded.Manifest.Metrics ?? new Dictionary<string, double>(), loaded.Manifest);
        }
        catch (SchemaMismatchException ex)
        {
            throw new ModelFormatException(path, $"its preprocessing does not produce what its network reads: {ex.Message}", ex);
        }
    }

    /// <summary>Saves the model atomically: a crash mid-save never leaves a partial file under <paramref name="path"/>.</summary>
    public void Save(string path) => ModelFile.Save(path, Network, new ModelFileContents
    {
        InputSchema = InputSchema,
        Preprocessing = _preprocessing,
        Metrics = Metrics,
    });

    /// <summary>
    /// Writes the network as an ONNX file that any ONNX runtime runs without MnistMl; by default its
    /// input is grey levels 0–255 with this model's pixel scaling folded into the graph, so the
    /// consumer needs to know nothing of it. The file's metadata carries the preset, the recorded
    /// metrics and, for a model loaded from a file, when that file was made. Atomic; the same model
    /// gives the same bytes. See docs/onnx.md.
    /// </summary>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="input">What the graph's input holds.</param>
    /// <param name="includePredictedDigit">Whether the graph also outputs the predicted <c>digit</c>.</param>
    /// <exception cref="OnnxExportException">The network cannot be exported.</exception>
    /// <exception cref="IOException">The file cannot be written; nothing is left under <paramref name="path"/>.</exception>
    public void ExportOnnx(string path, OnnxInput input = OnnxInput.GreyLevels, bool includePredictedDigit = false) =>
        Network.ExportOnnx(path, OnnxOptions(input, includePredictedDigit));

    /// <summary>Writes the network as ONNX to <paramref name="stream"/>; see <see cref="ExportOnnx(string, OnnxInput, bool)"/>.</summary>
    /// <exception cref="OnnxExportException">The network cannot be exported.</exception>
    public void ExportOnnx(Stream stream, OnnxInput input = OnnxInput.GreyLevels, bool includePredictedDigit = false) =>
        Network.ExportOnnx(stream, OnnxOptions(input, includePredictedDigit));

    private OnnxExportOptions OnnxOptions(OnnxInput input, bool includePredictedDigit)
    {
        // A model with no scaling step feeds grey levels to its network as they are; any other step
        // the graph would leave out is an error rather than a file that computes something else.
        var steps = _preprocessing.SelectMany(Flatten).ToList();
        var scalings = steps.OfType<PixelScalingTransformer>().ToList();
        if (input != OnnxInput.Scaled && (scalings.Count > 1 || steps.Any(t => t is not PixelScalingTransformer and not ImageReshapingTransformer)))
        {
            var names = string.Join(", ", steps.Select(t => t.GetType().Name));
            throw new OnnxExportException(
                $"The model's preprocessing ({names}) is more than one pixel scaling and a reshape, which is all a grey-level ONNX input folds in; export with OnnxInput.Scaled and apply the preprocessing before the graph.");
        }

        var (offset, divisor) = scalings.Count == 1 ? (scalings[0].Offset, scalings[0].Divisor) : (0f, 1f);
        var metadata = new Dictionary<string, string>
        {
            ["mnistml.preset"] = Manifest?.Architecture.Name ?? Network.Name,
            ["mnistml.pixelScaling"] = scalings.Count == 0
                ? "none"
                : string.Join(" then ", scalings.Select(t => string.Create(CultureInfo.InvariantCulture, $"(x - {t.Offset:R}) / {t.Divisor:R}"))),
        };
        foreach (var (name, value) in Metrics)
        {
            metadata[$"mnistml.metrics.{name}"] = value.ToString("R", CultureInfo.InvariantCulture);
        }

        if (Manifest is not null)
        {
            metadata["mnistml.createdUtc"] = Manifest.CreatedUtc.ToString("O", CultureInfo.InvariantCulture);
        }

        return new OnnxExportOptions
        {
            Input = input,
            PixelOffset = offset,
            PixelDivisor = divisor,
            IncludePredictedDigit = includePredictedDigit,
            Metadata = metadata,
        };
    }

    /// <summary>Predicts the digit of 784 grey levels (0–255, row-major). Thread-safe.</summary>
    public DigitPrediction Predict(ReadOnlySpan<byte> pixels) => Predict(DigitImage.FromPixels(pixels));

    /// <summary>Predicts the digit of 784 grey levels given as floats on the 0–255 scale. Thread-safe.</summary>
    public DigitPrediction Predict(ReadOnlySpan<float> pixels) => Predict(DigitImage.FromPixels(pixels));

    /// <summary>Predicts the digit of an image. Thread-safe: each thread gets its own engine from a pool.</summary>
    public DigitPrediction Predict(DigitImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!_engines.TryTake(out var engine))
        {
            engine = CreatePredictionEngine();
        }

        try
        {
            return engine.Predict(image);
        }
        finally
        {
            _engines.Add(engine);
        }
    }

    /// <summary>A single-threaded engine that reuses its buffers (ML.NET's contract): one per thread.</summary>
    public PredictionEngine<DigitImage, DigitPrediction> CreatePredictionEngine() => new(Pipeline);

    /// <summary>Adds <c>Score</c> and <c>PredictedLabel</c> to every row of <paramref name="data"/>, lazily.</summary>
    public IDataView Transform(IDataView data) => Pipeline.Transform(data);

    /// <summary>Multiclass metrics of the model on a labelled view (with the columns of <see cref="InputSchema"/> and <c>Label</c>).</summary>
    public MulticlassClassificationMetrics Evaluate(IDataView data) => new MnistContext().MulticlassClassification.Evaluate(Transform(data));

    /// <summary>Multiclass metrics of the model on an MNIST-format dataset.</summary>
    public MulticlassClassificationMetrics Evaluate(MnistDataset data) => Evaluate(new MnistContext().Data.LoadMnist(data));

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    private static DataViewSchema WithoutColumn(DataViewSchema schema, string name) =>
        new(schema.Where(c => c.Name != name).Select(c => (c.Name, c.Type)));

    private static Dictionary<string, double> MetricsOf(MulticlassClassificationMetrics metrics) => new()
    {
        ["testAccuracy"] = metrics.MicroAccuracy,
        ["testMacroAccuracy"] = metrics.MacroAccuracy,
        ["testLogLoss"] = metrics.LogLoss,
    };

    /// <summary>Saves the whole model after every epoch, so an interrupted run keeps the last complete one.</summary>
    private sealed class EpochCheckpoint(string path, DataViewSchema inputSchema, ITransformer preprocessing) : Callback
    {
        public override void OnEpochEnd(EpochLogs logs)
        {
            ArgumentNullException.ThrowIfNull(logs);
            var metrics = new Dictionary<string, double> { ["epoch"] = logs.Epoch + 1, ["loss"] = logs.Loss };
            if (logs.Accuracy is { } accuracy)
            {
                metrics["accuracy"] = accuracy;
            }

            ModelFile.Save(path, Model!, new ModelFileContents { InputSchema = inputSchema, Preprocessing = preprocessing, Metrics = metrics });
        }
    }

    private sealed class ProgressReporter(IProgress<BatchLogs> progress) : Callback
    {
        public override void OnBatchEnd(in BatchLogs logs) => progress.Report(logs);
    }
}
