using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using MnistMl.Data;
using MnistMl.Trainers;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl.Benchmarks;

/// <summary>
/// Training through ML.NET (<c>ml.Data.LoadMnist</c> → <c>KerasCnn</c>) beside <c>mnistml bench</c>
/// on the same preset, each in a process of its own (peak memory is per process), alternating who
/// goes first; then single-image latency of <c>MnistModel.Predict</c>, ML.NET's PredictionEngine
/// over our transformer, and ML.NET's PredictionEngine over the reloaded ONNX-backed zip, measured
/// in alternating blocks in one process.
/// </summary>
internal static class MlNetPipelinePeer
{
    private const int Blocks = 10;
    private const int CallsPerBlock = 100;

    /// <summary>The child: trains <paramref name="preset"/> through ML.NET and prints one JSON line.</summary>
    public static void Train(string preset, int epochs)
    {
        var train = MnistDataset.Load(MnistSplit.Train);
        var test = MnistDataset.Load(MnistSplit.Test);
        var ml = new MLContext(seed: 0);
        var fitted = ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = preset, Epochs = epochs })
            .Fit(ml.Data.LoadMnist(train));
        // Evaluated as `mnistml bench` evaluates, so that the two peaks differ only by how training was fed.
        var recipe = ModelPreset.Get(preset);
        var accuracy = fitted.Model.Evaluate(new MnistSampleSource(test, !recipe.SparseTargets), recipe.BatchSize).Accuracy;
        var trained = (int)(train.Count * (1 - recipe.ValidationSplit));
        var median = Statistics.Median([.. fitted.History!.EpochSeconds]);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            samplesPerSecond = trained / median,
            peakMemoryMB = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0),
            weightsSha256 = fitted.Model.WeightsSha256(),
            testAccuracy = accuracy,
        }));
    }

    /// <summary>The parent: both trainings per round for each preset, then the latency table.</summary>
    public static void Run(IReadOnlyList<string> presets, int epochs, int rounds)
    {
        Console.WriteLine($"Training through ML.NET beside `mnistml bench`, {epochs} epochs, {rounds} rounds, {Environment.ProcessorCount} cores");
        var table = new List<string>
        {
            "| preset | `mnistml bench` samples/s | ML.NET pipeline samples/s | ratio, median (range) | bench peak MB | pipeline peak MB | memory ratio | same weights |",
            "|---|---|---|---|---|---|---|---|",
        };
        foreach (var preset in presets)
        {
            var bench = new List<Result>();
            var pipeline = new List<Result>();
            for (var round = 0; round < rounds; round++)
            {
                Result RunBench() => Child("MnistMl.Cli.dll", "bench", "--preset", preset, "--epochs", Invariant(epochs), "--json");
                Result RunPipeline() => Child("MnistMl.Benchmarks.dll", "mlnet-train", preset, Invariant(epochs));
                if (round % 2 == 0)
                {
                    bench.Add(RunBench());
                    pipeline.Add(RunPipeline());
                }
                else
                {
                    pipeline.Add(RunPipeline());
                    bench.Add(RunBench());
                }

                Console.WriteLine(Invariant($"{preset} round {round + 1}: bench {bench[^1].SamplesPerSecond:N0} samples/s {bench[^1].PeakMemoryMB:F0} MB, pipeline {pipeline[^1].SamplesPerSecond:N0} samples/s {pipeline[^1].PeakMemoryMB:F0} MB, same weights {bench[^1].WeightsSha256 == pipeline[^1].WeightsSha256}"));
            }

            var speed = bench.Zip(pipeline, (b, p) => p.SamplesPerSecond / b.SamplesPerSecond).ToList();
            var memory = bench.Zip(pipeline, (b, p) => p.PeakMemoryMB / b.PeakMemoryMB).ToList();
            table.Add(Invariant(
                $"| {preset} | {Statistics.Median([.. bench.Select(b => b.SamplesPerSecond)]):N0} | {Statistics.Median([.. pipeline.Select(p => p.SamplesPerSecond)]):N0} | {Statistics.Median([.. speed]):F3}× ({speed.Min():F3}–{speed.Max():F3}) | {Statistics.Median([.. bench.Select(b => b.PeakMemoryMB)]):F0} | {Statistics.Median([.. pipeline.Select(p => p.PeakMemoryMB)]):F0} | {Statistics.Median([.. memory]):F3}× | {bench.Zip(pipeline).All(x => x.First.WeightsSha256 == x.Second.WeightsSha256)} |"));
        }

        Console.WriteLine();
        table.ForEach(Console.WriteLine);
        Console.WriteLine();
        Latency(presets, rounds);
    }

    private static void Latency(IReadOnlyList<string> presets, int rounds)
    {
        var table = new List<string>
        {
            "| preset | `MnistModel.Predict` | PredictionEngine, in process | PredictionEngine, reloaded ML.NET zip (ONNX Runtime) |",
            "|---|---|---|---|",
        };
        using var folder = new TempDirectory();
        foreach (var preset in presets)
        {
            var test = MnistDataset.Load(MnistSplit.Test);
            var model = MnistModel.FromTransformer(KerasCnnTransformer.ForGreyLevels(ModelPreset.Get(preset).CreateModel(0), [PixelScaling.UnitRange]));
            var zip = Path.Combine(folder.Path, $"{preset}.zip");
            model.SaveAsMlNetModel(zip);
            var ml = new MLContext(seed: 0) { TempFilePath = folder.Path };
            var loaded = ml.Model.Load(zip, out _);
            using var inProcess = model.CreatePredictionEngine();
            using var reloaded = ml.Model.CreatePredictionEngine<DigitImage, LoadedPrediction>(loaded);
            var images = Enumerable.Range(0, 100).Select(i => DigitImage.FromPixels(test.GetImage(i))).ToArray();
            var calls = new Action<int>[]
            {
                i => model.Predict(images[i % images.Length]),
                i => inProcess.Predict(images[i % images.Length]),
                i => reloaded.Predict(images[i % images.Length]),
            };
            var medians = new List<double>[calls.Length];
            for (var c = 0; c < calls.Length; c++)
            {
                medians[c] = [];
                WarmUp(calls[c]);
            }

            for (var round = 0; round < rounds; round++)
            {
                var samples = calls.Select(_ => new List<double>()).ToArray();
                for (var block = 0; block < Blocks; block++)
                {
                    for (var turn = 0; turn < calls.Length; turn++)
                    {
                        var c = (turn + block + round) % calls.Length;
                        var clock = new Stopwatch();
                        for (var i = 0; i < CallsPerBlock; i++)
                        {
                            clock.Restart();
                            calls[c](i);
                            samples[c].Add(clock.Elapsed.TotalMilliseconds);
                        }
                    }
                }

                for (var c = 0; c < calls.Length; c++)
                {
                    medians[c].Add(Statistics.Median([.. samples[c]]));
                }

                Console.WriteLine(Invariant($"{preset} latency round {round + 1}: {string.Join(", ", medians.Select(m => $"{m[^1]:F4} ms"))}"));
            }

            (loaded as IDisposable)?.Dispose();
            var ours = Statistics.Median([.. medians[0]]);
            table.Add(Invariant($"| {preset} | {ours:F4} ms | {Statistics.Median([.. medians[1]]):F4} ms ({Statistics.Median([.. medians[1]]) / ours:F1}×) | {Statistics.Median([.. medians[2]]):F4} ms ({Statistics.Median([.. medians[2]]) / ours:F1}×) |"));
        }

        Console.WriteLine();
        table.ForEach(Console.WriteLine);
    }

    private static void WarmUp(Action<int> call)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.ElapsedMilliseconds < 500; i++)
        {
            call(i);
        }
    }

    private static Result Child(string assembly, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{assembly} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Result}");
        }

        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        var root = json.RootElement;
        return new Result(root.GetProperty("samplesPerSecond").GetDouble(), root.GetProperty("peakMemoryMB").GetDouble(), root.GetProperty("weightsSha256").GetString()!);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Result(double SamplesPerSecond, double PeakMemoryMB, string WeightsSha256);

    private sealed class LoadedPrediction
    {
        public float[] Score { get; set; } = [];

        public uint[] PredictedLabel { get; set; } = [];
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("mnistml-mlnet-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
