using System.Diagnostics;
using MnistMl.Nn.Kernels;
using MnistMl.Training;

namespace MnistMl.Nn;

public sealed partial class Sequential
{
    /// <summary>
    /// Trains on tensors, as Keras's <c>fit(x, y, batch_size, epochs, validation_split)</c>.
    /// </summary>
    /// <param name="x">Inputs, (samples, ...) matching the input layer.</param>
    /// <param name="y">Targets: (samples, classes) one-hot, or (samples) class indices for a sparse loss.</param>
    /// <param name="batchSize">Samples per step (Keras default 32).</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="validationSplit">Fraction held out for validation: the last samples, before shuffling.</param>
    /// <param name="callbacks">Callbacks such as <see cref="Training.EarlyStopping"/>.</param>
    /// <param name="cancellationToken">Stops training after the current batch.</param>
    public History Fit(Tensor x, Tensor y, int batchSize = FitOptions.Defaults.BatchSize, int epochs = FitOptions.Defaults.Epochs, double validationSplit = 0, IEnumerable<Callback>? callbacks = null, CancellationToken cancellationToken = default)
    {
        var options = new FitOptions { BatchSize = batchSize, Epochs = epochs, ValidationSplit = validationSplit };
        foreach (var callback in callbacks ?? [])
        {
            options.Callbacks.Add(callback);
        }

        return Fit(new TensorSampleSource(x, y), options, cancellationToken);
    }

    /// <summary>Trains on any sample source (MNIST stays bytes until each batch is formed).</summary>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    /// <exception cref="ArgumentException">The data does not fit the model, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the weights are those after the last finished batch.</exception>
    public History Fit(ISampleSource data, FitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new FitOptions();
        var (optimizer, loss) = CompiledParts();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Epochs, nameof(options.Epochs));
        if (!(options.ValidationSplit >= 0 && options.ValidationSplit < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ValidationSplit, "ValidationSplit must be in [0, 1).");
        }

        CheckFits(data, loss, "training data");
        var (train, validation) = SplitValidation(data, options);
        if (train.Count == 0)
        {
            throw new ArgumentException("No training samples are left after the validation split.", nameof(data));
        }

        var network = Network;
        var batch = new BatchBuffers(Math.Min(options.BatchSize, train.Count), network.InputSize, data.TargetWidth, network.OutputSize);
        var order = new int[train.Count];
        var history = new History();
        var callbacks = options.Callbacks;
        foreach (var c in callbacks)
        {
            c.Model = this;
        }

        StopTraining = false;
        foreach (var c in callbacks)
        {
            c.OnTrainBegin();
        }

        var augmentation = options.Augmentation is { IsActive: true } settings ? CreateAugmentation(settings) : null;
        var firstEpoch = options.ResumeFrom is { } resumed ? Resume(resumed, options, optimizer, history) : 0;
        var fused = network.Ops.Length > 0 && network.Ops[^1].OutputGradientIsPreActivation;
        var batches = (train.Count + batch.Capacity - 1) / batch.Capacity;
        for (var epoch = firstEpoch; epoch < options.Epochs && !StopTraining; epoch++)
        {
            foreach (var c in callbacks)
            {
                c.OnEpochBegin(epoch);
            }

            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            if (options.Shuffle)
            {
                _shuffle.Shuffle<int>(order);
            }

            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            long correct = 0;
            var done = 0;
            for (var b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(batch.Capacity, train.Count - done);
                var indices = order.AsSpan(done, count);
                train.FillBatch(indices, batch.Features, batch.Targets);
                augmentation?.Apply(batch.Features, count, ((ulong)epoch * (ulong)train.Count) + (ulong)done);
                var outputs = network.Forward(batch.Features, count, training: true);
                var batchLoss = loss.Compute<float>(outputs.AsSpan(0, count * network.OutputSize), batch.Targets, count, network.OutputSize, batch.Gradient.AsSpan(0, count * network.OutputSize), fused);
                if (HasAccuracy)
                {
                    correct += Metric.CountCorrect<float>(outputs, batch.Targets, count, network.OutputSize, data.TargetWidth);
                }

                network.Backward(batch.Gradient, count);
                optimizer.Step(network.Parameters);
                lossSum += batchLoss;
                done += count;
                var logs = new BatchLogs(epoch, options.Epochs, b, batches, done, lossSum / done, HasAccuracy ? (double)correct / done : double.NaN, batchLoss / count, clock.Elapsed);
                foreach (var c in callbacks)
                {
                    c.OnBatchEnd(logs);
                }

                if (StopTraining)
                {
                    break;
                }
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var val = validation is null ? (EvaluationResult?)null : EvaluateCore(validation, options.BatchSize, loss);
            var epochLogs = new EpochLogs
            {
                Epoch = epoch,
                Loss = lossSum / Math.Max(done, 1),
                Accuracy = HasAccuracy ? (double)correct / Math.Max(done, 1) : null,
                ValLoss = val?.Loss,
                ValAccuracy = HasAccuracy ? val?.Accuracy : null,
                Seconds = seconds,
                LearningRate = optimizer.LearningRate,
            };
            history.Add(epochLogs);
            foreach (var c in callbacks)
            {
                c.OnEpochEnd(epochLogs);
            }

            if (callbacks.Any(c => c.NeedsTrainingState))
            {
                var state = CaptureTrainingState(epoch + 1, options, history, optimizer);
                foreach (var c in callbacks.Where(c => c.NeedsTrainingState))
                {
                    c.OnEpochCompleted(state);
                }
            }
        }

        foreach (var c in callbacks)
        {
            c.OnTrainEnd(history);
        }

        return history;
    }

    /// <summary>The augmentation of this model's input images, keyed by its seed (a stream of its own, apart from weights, shuffling and dropout).</summary>
    /// <exception cref="ArgumentException">The input is not an image.</exception>
    private AugmentationJob CreateAugmentation(ImageAugmentation settings)
    {
        var shape = Network.InputShape;
        var side = (int)Math.Round(Math.Sqrt(Network.InputSize));
        var (height, width, channels) = shape.Length switch
        {
            3 => (shape[0], shape[1], shape[2]),
            2 => (shape[0], shape[1], 1),
            1 when side * side == shape[0] => (side, side, 1),
            _ => throw new ArgumentException($"Augmentation distorts images, but model '{Name}' takes inputs of shape {Shapes.Format(shape)}.", nameof(settings)),
        };
        return new AugmentationJob(settings, height, width, channels, RandomSource.Hash(unchecked((ulong)_seed), AugmentationStream));
    }

    private (Optimizer Optimizer, Loss Loss) CompiledParts() =>
        Optimizer is { } o && Loss is { } l ? (o, l) : throw new InvalidOperationException($"Model '{Name}' must be compiled before it is trained or evaluated: call Compile(optimizer, loss).");

    private static (ISampleSource Train, ISampleSource? Validation) SplitValidation(ISampleSource data, FitOptions options)
    {
        if (options.ValidationData is { } explicitValidation)
        {
            return (data, explicitValidation);
        }

        if (options.ValidationSplit <= 0)
        {
            return (data, null);
        }

        // Keras: split_at = int(n * (1 - validation_split)); the tail is validation, cut before shuffling.
        var trainCount = options.TrainingSamples(data.Count);
        return (new SampleSourceSlice(data, 0, trainCount), new SampleSourceSlice(data, trainCount, data.Count - trainCount));
    }

    private void CheckFits(ISampleSource data, Loss loss, string what)
    {
        var network = Network;
        if (!data.SampleShape.SequenceEqual(network.InputShape) && Shapes.Product([.. data.SampleShape]) != network.InputSize)
        {
            throw new ArgumentException(
                $"The {what} has samples of shape {Shapes.Format([.. data.SampleShape])} but model '{Name}' takes {Shapes.Format(network.InputShape)}.");
        }

        var expected = loss.SparseTargets ? 1 : network.OutputSize;
        if (data.TargetWidth != expected)
        {
            throw new ArgumentException(loss.SparseTargets
                ? $"The {what} has targets of width {data.TargetWidth}, but {loss.Name} takes one class index per sample; use categorical_crossentropy for one-hot targets."
                : $"The {what} has targets of width {data.TargetWidth}, but model '{Name}' outputs {network.OutputSize} values and {loss.Name} needs targets of that width (one-hot for classes; sparse_categorical_crossentropy takes class indices).");
        }
    }

    /// <summary>The per-batch arrays of a fit or evaluation, allocated once.</summary>
    private sealed class BatchBuffers(int capacity, int inputSize, int targetWidth, int outputSize)
    {
        public int Capacity { get; } = capacity;

        public float[] Features { get; } = new float[capacity * inputSize];

        public float[] Targets { get; } = new float[capacity * targetWidth];

        public float[] Gradient { get; } = new float[capacity * outputSize];
    }
}
