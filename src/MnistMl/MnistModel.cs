using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Nn;
using MnistMl.Nn.Onnx;
using MnistMl.Persistence;
using MnistMl.Trainers;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl;

/// <summary>
/// A trained digit classifier with its pixel scaling: train it in one call, save it as a
/// <c>.zip</c>, load it anywhere and predict from pixels, from many threads at once, on MnistMl's
/// engine (no native library). It also gives the same network as an ML.NET transformer and writes
/// it as a standard ML.NET zip or an ONNX file.
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
    /// <summary>Images scored together by <see cref="Evaluate(MnistDataset, CancellationToken)"/>: one forward pass per block, small enough that its buffers stay well under training's.</summary>
    private const int EvaluationBlock = 64;

    private readonly ConcurrentBag<Predictor> _predictors = [];

    /// <summary>Predictors of <see cref="EvaluationBlock"/> images, kept between batch calls: one holds megabytes of activations, too much to allocate per request.</summary>
    private readonly ConcurrentBag<Predictor> _blockPredictors = [];
    private readonly Lazy<KerasCnnTransformer> _transformer;

    private MnistModel(Sequential network, IReadOnlyList<PixelScaling> pixelScalings, IReadOnlyDictionary<string, double> metrics, ModelManifest? manifest, History? history)
    {
        Network = network;
        PixelScalings = pixelScalings;
        Metrics = metrics;
        Manifest = manifest;
        History = history;
        _ = network.InputShape;   // builds the network now, so a model that cannot be built fails here, not at its first prediction
        _transformer = new(() => KerasCnnTransformer.ForGreyLevels(Network, PixelScalings));
    }

    /// <summary>The network.</summary>
    public Sequential Network { get; }

    /// <summary>The scalings grey levels go through, in order, before the network (usually <c>x / 255</c>).</summary>
    public IReadOnlyList<PixelScaling> PixelScalings { get; }

    /// <summary>The training history; null for a model loaded from a file.</summary>
    public History? History { get; }

    /// <summary>Figures recorded with the model, e.g. <c>testAccuracy</c>.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>The manifest of the file the model was loaded from; null for a model trained in this process.</summary>
    public ModelManifest? Manifest { get; }

    /// <summary>
    /// The model as an ML.NET transformer that reads grey levels from an <c>Image</c> column
    /// (Byte vector of 784) and adds <c>Score</c> and <c>PredictedLabel</c>, scoring on the engine.
    /// </summary>
    public KerasCnnTransformer Transformer => _transformer.Value;

    /// <summary>
    /// Finds (or downloads) MNIST, trains the recipe with <see cref="KerasCnnTrainer"/> on ML.NET's
    /// view of the training images, evaluates on the test images with ML.NET's evaluator and
    /// returns the model with its test metrics and history.
    /// </summary>
    /// <param name="options">Recipe and data options; the <c>cnn</c> preset when null.</param>
    /// <param name="progress">Receives the figures after every batch.</param>
    /// <param name="cancellationToken">Stops training after the current batch (throws <see cref="OperationCanceledException"/>).</param>
    /// <exception cref="DataNotFoundException">MNIST is nowhere and cannot be downloaded.</exception>
    /// <exception cref="DataFormatException">An MNIST file is damaged, or its images are not the 28 × 28 a preset reads.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite (the last good epoch's checkpoint stays).</exception>
    public static MnistTrainingResult Train(MnistTrainingOptions? options = null, IProgress<BatchLogs>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new MnistTrainingOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EnsembleSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.EnsembleSize, Nn.Ensemble.MaxMembers, nameof(options));

        var trainSet = LoadForTraining(MnistSplit.Train, options, cancellationToken);
        var testSet = LoadForTraining(MnistSplit.Test, options, cancellationToken);
        return options.EnsembleSize == 1
            ? TrainOne(options, trainSet, testSet, progress, cancellationToken)
            : TrainEnsemble(options, trainSet, testSet, progress, cancellationToken);
    }

    /// <summary>One model of the recipe on data already loaded (an ensemble's members share it).</summary>
    private static MnistTrainingResult TrainOne(MnistTrainingOptions options, MnistDataset trainSet, MnistDataset testSet, IProgress<BatchLogs>? progress, CancellationToken cancellationToken)
    {
        var ml = new MLContext(seed: 0);
        var trainerOptions = options.Trainer.Copy();
        trainerOptions.CancellationToken = cancellationToken;
        if (options.Resume && SavedRun(options) is { } saved)
        {
            if (saved.TrainingState is null)
            {
                // The run finished and saved its model: nothing is left to train.
                var finished = new MnistModel(saved.Model, saved.PixelScalings, saved.Manifest.Metrics ?? new Dictionary<string, double>(), saved.Manifest, new History());
                var finishedMetrics = finished.Evaluate(testSet, cancellationToken);
                return new MnistTrainingResult(new MnistModel(saved.Model, saved.PixelScalings, MetricsOf(finishedMetrics), null, finished.History), finishedMetrics, finished.History!);
            }

            trainerOptions.ResumeFrom = saved;
        }

        if (progress is not null)
        {
            trainerOptions.Callbacks.Add(new ProgressReporter(progress));
        }

        if (options.CheckpointPath is { } path)
        {
            trainerOptions.Callbacks.Add(new EpochCheckpoint(path));
        }

        var fitted = ml.MulticlassClassification.Trainers.KerasCnn(trainerOptions).Fit(ml.Data.LoadMnist(trainSet));
        var untested = FromTransformer(fitted);
        var metrics = untested.Evaluate(testSet, cancellationToken);
        var model = new MnistModel(fitted.Model, untested.PixelScalings, MetricsOf(metrics), null, fitted.History);
        return new MnistTrainingResult(model, metrics, fitted.History!);
    }

    /// <summary>
    /// Puts trained models together as one that averages their probabilities: one model file, one
    /// ONNX graph, thread-safe prediction as for any model (see <see cref="Sequential.Ensemble"/>).
    /// </summary>
    /// <param name="members">2 to <see cref="Nn.Ensemble.MaxMembers"/> models that read grey levels scaled the same way.</param>
    /// <param name="name">The model's name; by default the first member's with <c>_ensemble</c>.</param>
    /// <exception cref="ArgumentException">Too few or too many members, or members of different scalings, input or output shapes.</exception>
    public static MnistModel Ensemble(IReadOnlyList<MnistModel> members, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Any(m => m is null))
        {
            throw new ArgumentException("A member is null.", nameof(members));
        }

        if (members.Count > 0 && members.FirstOrDefault(m => !m.PixelScalings.SequenceEqual(members[0].PixelScalings)) is { } other)
        {
            throw new ArgumentException($"Member '{other.Network.Name}' scales grey levels otherwise than '{members[0].Network.Name}'; an ensemble's members read the same input.", nameof(members));
        }

        return new MnistModel(Sequential.Ensemble([.. members.Select(m => m.Network)], name), members.Count > 0 ? members[0].PixelScalings : [], new Dictionary<string, double>(), null, null);
    }

    /// <summary>Where member <paramref name="index"/> of an ensemble run saved at <paramref name="path"/> is kept while the run lasts: <c>mnist.member-1.zip</c> beside <c>mnist.zip</c>.</summary>
    internal static string MemberPath(string path, int index) =>
        Path.Combine(Path.GetDirectoryName(path) ?? string.Empty, $"{Path.GetFileNameWithoutExtension(path)}.member-{index + 1}{Path.GetExtension(path)}");

    private static MnistTrainingResult TrainEnsemble(MnistTrainingOptions options, MnistDataset trainSet, MnistDataset testSet, IProgress<BatchLogs>? progress, CancellationToken cancellationToken)
    {
        var count = options.EnsembleSize;
        var name = $"{(options.Trainer.Model is null ? ModelPreset.Get(options.Trainer.Preset).Name : "sequential")}_ensemble";
        if (options.Resume && options.CheckpointPath is { } done && File.Exists(done))
        {
            // The ensemble was saved: the run finished.
            var saved = ModelFile.Load(done);
            if (saved.Model.Name != name || saved.Model.Layers.Count != 2 || saved.Model.Layers[1] is not Nn.Ensemble { Members.Count: var members } || members != count)
            {
                throw new ArgumentException($"{done} holds '{saved.Model.Name}', not the {count}-member '{name}' this run trains. Resume with the options of the saved run, or train to another file.", nameof(options));
            }

            var finished = FromLoaded(saved);
            var finishedMetrics = finished.Evaluate(testSet, cancellationToken);
            return new MnistTrainingResult(new MnistModel(saved.Model, saved.PixelScalings, MetricsOf(finishedMetrics), null, new History()), finishedMetrics, new History());
        }

        var results = new List<MnistTrainingResult>(count);
        for (var i = 0; i < count; i++)
        {
            var trainer = options.Trainer.Copy();
            trainer.Seed = options.Trainer.Seed + i;
            var member = new MnistTrainingOptions
            {
                Trainer = trainer,
                Data = options.Data,
                CheckpointPath = options.CheckpointPath is { } path ? MemberPath(path, i) : null,
                Resume = options.Resume,
            };
            var result = TrainOne(member, trainSet, testSet, progress, cancellationToken);
            if (member.CheckpointPath is { } memberPath)
            {
                // Finished: a resumed run takes this member as it is.
                result.Model.Save(memberPath);
            }

            results.Add(result);
        }

        var ensemble = Ensemble([.. results.Select(r => r.Model)], name);
        var metrics = ensemble.Evaluate(testSet, cancellationToken);
        var model = new MnistModel(ensemble.Network, ensemble.PixelScalings, MetricsOf(metrics), null, results[^1].History);
        if (options.CheckpointPath is { } ensemblePath)
        {
            model.Save(ensemblePath);
            for (var i = 0; i < count; i++)
            {
                File.Delete(MemberPath(ensemblePath, i));
            }
        }

        return new MnistTrainingResult(model, metrics, results[^1].History) { Members = results };
    }

    /// <summary>The run saved at the checkpoint path, to resume; null when there is none yet (it starts afresh).</summary>
    /// <exception cref="ArgumentException">There is no checkpoint path, or the file there is another run's model.</exception>
    private static LoadedModel? SavedRun(MnistTrainingOptions options)
    {
        var path = options.CheckpointPath ?? throw new ArgumentException("Resume continues the run saved at CheckpointPath: set it.", nameof(options));
        if (!File.Exists(path))
        {
            return null;
        }

        var saved = ModelFile.Load(path);
        KerasCnnTrainer.CheckSameRun(saved.Model, options.Trainer, ModelPreset.Get(options.Trainer.Preset));
        return saved;
    }

    /// <summary>One split of MNIST; for a preset, whose network reads 28 × 28 images, other sizes are the data's fault.</summary>
    private static MnistDataset LoadForTraining(MnistSplit split, MnistTrainingOptions options, CancellationToken cancellationToken)
    {
        var folder = MnistDataLocator.Locate(split, options.Data, cancellationToken);
        var dataset = MnistDataset.Load(folder, split);
        cancellationToken.ThrowIfCancellationRequested();
        if (options.Trainer.Model is null && (dataset.Rows, dataset.Columns) != (DigitImage.Size, DigitImage.Size))
        {
            throw new DataFormatException(
                MnistFile.Images(split).FindIn(folder) ?? folder,
                $"holds {dataset.Rows} × {dataset.Columns} images; the presets read MNIST's {DigitImage.Size} × {DigitImage.Size}.");
        }

        return dataset;
    }

    /// <summary>Wraps a network trained by <see cref="KerasCnnTrainer"/> on grey levels (a Byte feature column).</summary>
    /// <exception cref="ArgumentException">The transformer reads floats: this class predicts from grey levels and would not know their scaling.</exception>
    public static MnistModel FromTransformer(KerasCnnTransformer trained)
    {
        ArgumentNullException.ThrowIfNull(trained);
        if (!trained.ReadsGreyLevels)
        {
            throw new ArgumentException("The transformer reads Single features; MnistModel predicts from grey levels, so train on the Byte image column.", nameof(trained));
        }

        return new MnistModel(trained.Model, trained.GreyLevelScalings, new Dictionary<string, double>(), null, trained.History);
    }

    /// <summary>Loads a model saved by <see cref="Save"/> (or by <c>mnistml train</c>).</summary>
    /// <exception cref="ModelFormatException">The file is not a usable model; the message says why.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="FileAccessException">The file cannot be read: permission, not a regular file, a symbolic-link loop.</exception>
    /// <param name="path">The model file.</param>
    /// <param name="maxWeights">Refuse a model that declares more weights than this, before allocating; at most <see cref="ModelFile.MaxWeightCount"/>.</param>
    public static MnistModel Load(string path, long maxWeights = ModelFile.MaxWeightCount) => FromLoaded(ModelFile.Load(path, maxWeights));

    /// <summary>Loads a model file's bytes from <paramref name="source"/> (an upload, a resource, blob storage); the stream stays open.</summary>
    /// <exception cref="ModelFormatException">The bytes are not a usable model; the message, naming <paramref name="displayName"/>, says why.</exception>
    /// <param name="source">The model file's bytes.</param>
    /// <param name="displayName">What error messages call the file.</param>
    /// <param name="maxWeights">Refuse a model that declares more weights than this, before allocating; at most <see cref="ModelFile.MaxWeightCount"/>.</param>
    public static MnistModel Load(Stream source, string displayName, long maxWeights = ModelFile.MaxWeightCount) => FromLoaded(ModelFile.Load(source, displayName, maxWeights));

    /// <summary>
    /// The model that ships inside MnistMl, to predict with no training: three models of the
    /// <c>accurate</c> preset (seeds 0, 1, 2) averaged as one, made by
    /// <c>mnistml train --preset accurate --ensemble 3 --seed 0</c>; its test accuracy is in
    /// <see cref="Metrics"/> as <c>testAccuracy</c> (docs/accuracy.md). Each call loads a new
    /// instance; keep one and share it, since prediction is thread-safe.
    /// </summary>
    /// <exception cref="ModelFormatException">The resource is missing or damaged (a broken build of MnistMl).</exception>
    public static MnistModel LoadPretrained()
    {
        using var resource = typeof(MnistModel).Assembly.GetManifestResourceStream(PretrainedResourceName)
            ?? throw new ModelFormatException(PretrainedResourceName, "the pretrained model is not in this build of MnistMl.");
        return Load(resource, $"the pretrained model ({PretrainedResourceName})");
    }

    /// <summary>Where <see cref="LoadPretrained"/> finds its model: assets/pretrained/mnist.zip, embedded in this assembly.</summary>
    internal const string PretrainedResourceName = "MnistMl.pretrained.mnist.zip";

    private static MnistModel FromLoaded(LoadedModel loaded) =>
        new(loaded.Model, loaded.PixelScalings, loaded.Manifest.Metrics ?? new Dictionary<string, double>(), loaded.Manifest, null);

    /// <summary>Saves the model atomically: a crash mid-save never leaves a partial file under <paramref name="path"/>.</summary>
    public void Save(string path) => ModelFile.Save(path, Network, new ModelFileContents { PixelScalings = PixelScalings, Metrics = Metrics });

    /// <summary>
    /// Writes the model as a standard ML.NET zip (the network inside as ONNX, see docs/ml-net.md)
    /// that <c>MLContext.Model.Load</c> reads in an app without MnistMl; its input is an
    /// <c>Image</c> column of 784 grey levels. Atomic.
    /// </summary>
    /// <exception cref="OnnxExportException">The network cannot be exported.</exception>
    /// <exception cref="IOException">The file cannot be written; nothing is left under <paramref name="path"/>.</exception>
    public void SaveAsMlNetModel(string path)
    {
        var ml = new MLContext();
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(MnistColumnNames.Image, new VectorDataViewType(NumberDataViewType.Byte, DigitImage.Size, DigitImage.Size));
        var inputSchema = schema.ToSchema();
        AtomicFile.Write(path, stream => ml.Model.Save(Transformer, inputSchema, stream));
    }

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
        // A model with no scaling feeds grey levels to its network as they are; more than one
        // scaling is an error rather than a file that computes something else.
        if (input != OnnxInput.Scaled && PixelScalings.Count > 1)
        {
            throw new OnnxExportException(
                $"The model scales grey levels {PixelScalings.Count} times ({string.Join(" then ", PixelScalings)}); a grey-level ONNX input folds in one. Export with OnnxInput.Scaled and scale before the graph.");
        }

        var scaling = PixelScalings.Count == 1 ? PixelScalings[0] : new PixelScaling(0, 1);
        var metadata = new Dictionary<string, string>
        {
            ["mnistml.preset"] = Manifest?.Architecture.Name ?? Network.Name,
            ["mnistml.pixelScaling"] = PixelScalings.Count == 0 ? "none" : string.Join(" then ", PixelScalings),
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
            PixelOffset = scaling.Offset,
            PixelDivisor = scaling.Divisor,
            IncludePredictedDigit = includePredictedDigit,
            Metadata = metadata,
        };
    }

    /// <summary>Predicts the digit of 784 grey levels (0–255, row-major). Thread-safe.</summary>
    public DigitPrediction Predict(ReadOnlySpan<byte> pixels) => Predict(DigitImage.FromPixels(pixels));

    /// <summary>Predicts the digit of 784 grey levels given as floats on the 0–255 scale. Thread-safe.</summary>
    public DigitPrediction Predict(ReadOnlySpan<float> pixels) => Predict(DigitImage.FromPixels(pixels));

    /// <summary>Predicts the digit of an image. Thread-safe: each thread takes a predictor of its own from a pool.</summary>
    public DigitPrediction Predict(DigitImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!_predictors.TryTake(out var predictor))
        {
            predictor = Network.CreatePredictor(1);
        }

        try
        {
            Scale(image.Image, predictor.Input(0));
            return new DigitPrediction { Scores = predictor.Run(1).ToArray() };
        }
        finally
        {
            _predictors.Add(predictor);
        }
    }

    /// <summary>
    /// Predicts many images in forward passes of up to 64 (faster per image than one at a time).
    /// Thread-safe: each call scores on a predictor of its own.
    /// </summary>
    public DigitPrediction[] Predict(IReadOnlyList<DigitImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count <= 1)
        {
            return images.Count == 0 ? [] : [Predict(images[0] ?? throw new ArgumentException("Image 0 is null.", nameof(images)))];
        }

        if (!_blockPredictors.TryTake(out var predictor))
        {
            predictor = Network.CreatePredictor(EvaluationBlock);
        }

        try
        {
            var predictions = new DigitPrediction[images.Count];
            var classes = predictor.OutputSize;
            for (var start = 0; start < images.Count; start += predictor.Capacity)
            {
                var count = Math.Min(predictor.Capacity, images.Count - start);
                for (var i = 0; i < count; i++)
                {
                    Scale((images[start + i] ?? throw new ArgumentException($"Image {start + i} is null.", nameof(images))).Image, predictor.Input(i));
                }

                var scores = predictor.Run(count);
                for (var i = 0; i < count; i++)
                {
                    predictions[start + i] = new DigitPrediction { Scores = scores.Slice(i * classes, classes).ToArray() };
                }
            }

            return predictions;
        }
        finally
        {
            // As many as the cores can keep busy; more concurrent callers allocate their own and let them go.
            if (_blockPredictors.Count < Environment.ProcessorCount)
            {
                _blockPredictors.Add(predictor);
            }
        }
    }

    /// <summary>
    /// ML.NET's single-threaded prediction engine over <see cref="Transformer"/>, for code written
    /// against ML.NET (one per thread; <see cref="Predict(DigitImage)"/> is the thread-safe way).
    /// </summary>
    public PredictionEngine<DigitImage, DigitPrediction> CreatePredictionEngine() =>
        new MLContext().Model.CreatePredictionEngine<DigitImage, DigitPrediction>(Transformer);

    /// <summary>Multiclass metrics of the model on an MNIST-format dataset, from ML.NET's evaluator.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public MulticlassClassificationMetrics Evaluate(MnistDataset data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return ScoredImages.Evaluate(data.Labels.Span, Score(data, cancellationToken), Shapes.Product([.. Network.OutputShape]));
    }

    /// <summary>Every image's class probabilities, row-major, scored in blocks on one predictor.</summary>
    internal float[] Score(MnistDataset data, CancellationToken cancellationToken = default)
    {
        var classes = Shapes.Product([.. Network.OutputShape]);
        var pixels = data.PixelsPerImage;
        if (pixels != Shapes.Product([.. Network.InputShape]))
        {
            throw new SchemaMismatchException(MnistColumnNames.Image, $"The images have {pixels} pixels; the network reads {Shapes.Format([.. Network.InputShape])}.");
        }

        var predictor = Network.CreatePredictor(EvaluationBlock);
        var scores = new float[data.Count * classes];
        for (var start = 0; start < data.Count; start += EvaluationBlock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(EvaluationBlock, data.Count - start);
            for (var i = 0; i < count; i++)
            {
                Scale(data.GetImage(start + i), predictor.Input(i));
            }

            predictor.Run(count).CopyTo(scores.AsSpan(start * classes));
        }

        return scores;
    }

    private void Scale(ReadOnlySpan<byte> greyLevels, Span<float> destination)
    {
        if (greyLevels.Length != destination.Length)
        {
            throw new SchemaMismatchException(MnistColumnNames.Image, $"The image has {greyLevels.Length} pixels; the network reads {Shapes.Format([.. Network.InputShape])}.");
        }

        PixelScaling.ApplyAll(PixelScalings, greyLevels, destination);
    }

    private static Dictionary<string, double> MetricsOf(MulticlassClassificationMetrics metrics) => new()
    {
        ["testAccuracy"] = metrics.MicroAccuracy,
        ["testMacroAccuracy"] = metrics.MacroAccuracy,
        ["testLogLoss"] = metrics.LogLoss,
    };

    /// <summary>
    /// Saves the whole model after every epoch with the state to resume from it, so an interrupted
    /// run keeps the last complete epoch and can continue from there.
    /// </summary>
    private sealed class EpochCheckpoint(string path) : Callback
    {
        public override bool NeedsTrainingState => true;

        public override void OnEpochCompleted(TrainingState state)
        {
            ArgumentNullException.ThrowIfNull(state);
            var logs = state.History[^1];
            if (!double.IsFinite(logs.Loss))
            {
                // A diverged epoch: the last good checkpoint stays; the trainer throws next.
                return;
            }

            var metrics = new Dictionary<string, double> { ["epoch"] = logs.Epoch + 1, ["loss"] = logs.Loss };
            if (logs.Accuracy is { } accuracy)
            {
                metrics["accuracy"] = accuracy;
            }

            ModelFile.Save(path, Model!, new ModelFileContents { PixelScalings = [PixelScaling.UnitRange], Metrics = metrics, TrainingState = state });
        }
    }

    private sealed class ProgressReporter(IProgress<BatchLogs> progress) : Callback
    {
        public override void OnBatchEnd(in BatchLogs logs) => progress.Report(logs);
    }
}
