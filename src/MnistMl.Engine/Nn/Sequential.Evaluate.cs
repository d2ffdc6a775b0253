using MnistMl.Training;

namespace MnistMl.Nn;

public sealed partial class Sequential
{
    /// <summary>Mean loss and accuracy on tensors (Keras's <c>evaluate(x, y)</c>), dropout off.</summary>
    public EvaluationResult Evaluate(Tensor x, Tensor y, int batchSize = FitOptions.Defaults.BatchSize) =>
        Evaluate(new TensorSampleSource(x, y), batchSize);

    /// <summary>Mean loss and accuracy on a sample source, dropout off.</summary>
    public EvaluationResult Evaluate(ISampleSource data, int batchSize = FitOptions.Defaults.BatchSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var (_, loss) = CompiledParts();
        CheckFits(data, loss, "evaluation data");
        return EvaluateCore(data, batchSize, loss);
    }

    /// <summary>The model's outputs for every sample of <paramref name="x"/> (Keras's <c>predict</c>): (samples, outputs...).</summary>
    public Tensor Predict(Tensor x, int batchSize = FitOptions.Defaults.BatchSize)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var network = Network;
        if (x.SampleSize != network.InputSize)
        {
            throw new ArgumentException($"x has samples of {x.SampleSize} values but model '{Name}' takes {Shapes.Format(network.InputShape)}.", nameof(x));
        }

        var n = x.Shape[0];
        var result = new Tensor([n, .. network.OutputShape]);
        var input = new float[Math.Min(batchSize, n) * network.InputSize];
        for (var start = 0; start < n; start += batchSize)
        {
            var count = Math.Min(batchSize, n - start);
            x.Data.AsSpan(start * network.InputSize, count * network.InputSize).CopyTo(input);
            var outputs = network.Forward(input, count, training: false);
            outputs.AsSpan(0, count * network.OutputSize).CopyTo(result.Data.AsSpan(start * network.OutputSize));
        }

        return result;
    }

    private EvaluationResult EvaluateCore(ISampleSource data, int batchSize, Loss loss)
    {
        var network = Network;
        var capacity = Math.Max(1, Math.Min(batchSize, data.Count));
        var features = new float[capacity * network.InputSize];
        var targets = new float[capacity * data.TargetWidth];
        var indices = new int[capacity];
        double lossSum = 0;
        long correct = 0;
        for (var start = 0; start < data.Count; start += capacity)
        {
            var count = Math.Min(capacity, data.Count - start);
            for (var i = 0; i < count; i++)
            {
                indices[i] = start + i;
            }

            data.FillBatch(indices.AsSpan(0, count), features, targets);
            var outputs = network.Forward(features, count, training: false);
            lossSum += loss.Compute<float>(outputs.AsSpan(0, count * network.OutputSize), targets, count, network.OutputSize, [], fusedSoftmax: false);
            correct += Metric.CountCorrect<float>(outputs, targets, count, network.OutputSize, data.TargetWidth);
        }

        var n = Math.Max(data.Count, 1);
        var classifier = network.OutputSize > 1;
        return new EvaluationResult(lossSum / n, classifier ? (double)correct / n : double.NaN, data.Count);
    }
}
