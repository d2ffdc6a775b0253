using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MnistMl.Data;
using MnistMl.Nn.Kernels;
using MnistMl.Training;

namespace MnistMl.Cli.Commands;

/// <summary>
/// <c>mnistml bench</c>: trains a preset on MNIST and reports speed, memory, accuracy and a
/// fingerprint of the trained weights (same seed ⇒ same fingerprint for any thread count).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "Preset to train: cnn, mlp, cnn64, dnn, fast or accurate.", Required = true };
        var data = CliOptions.Data();
        var epochs = CliOptions.Epochs();
        var trainLimit = CliOptions.WholeNumber("--train-limit", "Train on the first N training images only.", 1, CliOptions.TrainingImages);
        var threads = CliOptions.Threads();
        var seed = new Option<long>("--seed") { Description = "Seed of the whole run.", DefaultValueFactory = _ => 0 };
        var json = CliOptions.Json();
        var infer = new Option<bool>("--infer") { Description = "Also time prediction: batch-1 latency (median of 1,000) and batch-1000 throughput over the test set." };
        var command = new Command("bench", "Train a preset on MNIST and measure it: seconds per epoch, samples/s, peak memory, test accuracy, weights fingerprint.")
        {
            preset, data, epochs, trainLimit, threads, seed, json, infer,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(Run(
            parse.InvocationConfiguration.Output,
            ModelPreset.Get(parse.GetValue(preset)!),
            parse.GetValue(data),
            parse.GetValue(epochs),
            parse.GetValue(trainLimit),
            parse.GetValue(threads),
            parse.GetValue(seed),
            parse.GetValue(json),
            parse.GetValue(infer),
            cancellationToken)));
        return command;
    }

    private static int Run(TextWriter output, ModelPreset preset, string? dataFolder, int? epochs, int? trainLimit, int? threads, long seed, bool json, bool infer, CancellationToken cancellationToken)
    {
        CliOptions.ApplyThreads(threads);

        if (epochs is < 0)
        {
            throw new ArgumentException("--epochs must be zero or more.");
        }

        var options = new MnistDataOptions { DataFolder = dataFolder };
        var train = MnistDataset.Load(MnistSplit.Train, options, cancellationToken);
        var test = MnistDataset.Load(MnistSplit.Test, options, cancellationToken);
        var oneHot = !preset.SparseTargets;
        var trainSource = new MnistSampleSource(train, oneHot, trainLimit);
        var model = preset.CreateModel(seed);
        var fit = preset.CreateFitOptions(epochs);
        preset.CompileFor(model, trainSource.Count, fit);
        fit.Callbacks.Add(new ProgressLogger(output));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench {preset.Name}: {preset.Description}; train {trainSource.Count} images, threads {WorkerPool.MaxThreads}, seed {seed}"));
        var history = model.Fit(trainSource, fit, cancellationToken);
        // Evaluate in training-sized batches: larger ones would grow every layer's buffers for the rest of the run.
        var evaluation = model.Evaluate(new MnistSampleSource(test, oneHot), fit.BatchSize);

        var trainedSamples = fit.TrainingSamples(trainSource.Count);
        var epochSeconds = history.EpochSeconds.ToArray();
        var median = Median(epochSeconds);
        var result = new BenchResult(
            preset.Name,
            fit.Epochs,
            WorkerPool.MaxThreads,
            trainedSamples,
            evaluation.Accuracy,
            evaluation.Loss,
            [.. epochSeconds.Select(s => Math.Round(s, 3))],
            Math.Round(median, 3),
            median > 0 ? Math.Round(trainedSamples / median, 1) : 0,
            Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0), 1),
            model.WeightsSha256(),
            seed,
            RuntimeInformation.ProcessArchitecture.ToString(),
            Environment.ProcessorCount,
            infer ? InferenceTiming.Measure(model, test) : null);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"preset {result.Preset} | epochs {result.Epochs} | threads {result.Threads} | test accuracy {result.TestAccuracy:F4} | median epoch {result.EpochSecondsMedian:F2}s | {result.SamplesPerSecond:N0} samples/s | peak memory {result.PeakMemoryMB:F0} MB"));
        output.WriteLine($"epoch seconds: {string.Join(' ', result.EpochSeconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}");
        output.WriteLine($"weights sha256: {result.WeightsSha256}");
        if (result.Inference is { } timing)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"predict: batch-1 median {timing.InferBatch1Ms:F4} ms, batch-1000 {timing.InferBatch1000ImagesPerSecond:N0} images/s"));
        }
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(result, CliJson.Options));
        }

        return ExitCodes.Success;
    }

    /// <summary>SHA-256 of every weight's float32 bytes in save order: equal fingerprints mean bit-identical models.</summary>
    private static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record BenchResult(
        string Preset,
        int Epochs,
        int Threads,
        int TrainSamples,
        double TestAccuracy,
        double TestLoss,
        double[] EpochSeconds,
        double EpochSecondsMedian,
        double SamplesPerSecond,
        double PeakMemoryMB,
        string WeightsSha256,
        long Seed,
        string Architecture,
        int ProcessorCount,
        [property: System.Text.Json.Serialization.JsonIgnore] InferenceTiming? Inference)
    {
        public double? InferBatch1Ms => Inference?.InferBatch1Ms;

        public double? InferBatch1000ImagesPerSecond => Inference?.InferBatch1000ImagesPerSecond;
    }
}
