using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MnistMl.Data;
using MnistMl.Nn;
using MnistMl.Nn.Kernels;
using MnistMl.Training;

namespace MnistMl.Benchmarks;

/// <summary>
/// Prediction speed of our engine beside ONNX Runtime running our own exported graph of the same
/// trained network, in this process, with the same thread count and the same timing, the two
/// measured in alternation (<see cref="MeasurePair"/>). ONNX Runtime is run as its guidance for low latency says:
/// sequential execution, intra-op threads = the thread count, all graph optimisations, and
/// input/output buffers bound once through an <see cref="OrtIoBinding"/>, so a call does no
/// allocation or name lookup. The table gives medians over rounds and the range of the per-round ratios.
/// </summary>
internal static class OnnxRuntimePeer
{
    public static void Run(IReadOnlyList<string> presets, int threads, int rounds)
    {
        WorkerPool.MaxThreads = threads;
        var test = MnistDataset.Load(MnistSplit.Test);
        var train = MnistDataset.Load(MnistSplit.Train);
        var size = test.PixelsPerImage;
        var images = new float[test.Count * size];
        for (var i = 0; i < images.Length; i++)
        {
            images[i] = test.Images.Span[i] / 255f;
        }

        Console.WriteLine($"ONNX Runtime {OrtEnv.Instance().GetVersionString()}, {threads} threads, {rounds} rounds; {Environment.ProcessorCount} cores");
        var rows = new List<string>();
        foreach (var name in presets)
        {
            var preset = ModelPreset.All.Single(p => p.Name == name);
            var model = preset.CreateModel(seed: 0);
            var fit = preset.CreateFitOptions(epochs: 1);
            preset.CompileFor(model, 5000, fit);
            model.Fit(new MnistSampleSource(train, oneHotTargets: !preset.SparseTargets, count: 5000), fit);
            using var onnx = new MemoryStream();
            model.ExportOnnx(onnx);
            using var runtime = new RuntimeUnderTest(onnx.ToArray(), threads, model.OutputShape[0]);
            var ours = new EngineUnderTest(model);
            Console.WriteLine($"{name}: largest difference between the two on 1,000 test images: {runtime.LargestDifference(ours, images, size):E1}");

            var (ourLatency, ourThroughput, theirLatency, theirThroughput) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            var (latencyRatios, throughputRatios) = (new List<double>(), new List<double>());
            var batches = test.Count / PredictionTiming.BatchSize;
            for (var round = 0; round < rounds; round++)
            {
                var (latency, throughput) = MeasurePair([ours, runtime], images, size, batches, round % 2);
                ourLatency.Add(latency[0]);
                theirLatency.Add(latency[1]);
                ourThroughput.Add(throughput[0]);
                theirThroughput.Add(throughput[1]);
                latencyRatios.Add(latency[0] / latency[1]);
                throughputRatios.Add(throughput[0] / throughput[1]);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  round {round + 1}: batch-1 {latency[0]:F4} vs {latency[1]:F4} ms ({latencyRatios[^1]:F2}×), batch-1000 {throughput[0]:N0} vs {throughput[1]:N0} images/s ({throughputRatios[^1]:F2}×)"));
            }

            rows.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {Statistics.Median(ourLatency):F4} | {Statistics.Median(theirLatency):F4} | {Statistics.Median(latencyRatios):F2}× ({latencyRatios.Min():F2}–{latencyRatios.Max():F2}) | {Statistics.Median(ourThroughput):N0} | {Statistics.Median(theirThroughput):N0} | {Statistics.Median(throughputRatios):F2}× ({throughputRatios.Min():F2}–{throughputRatios.Max():F2}) |"));
        }

        Console.WriteLine();
        Console.WriteLine("| preset | MnistMl batch-1 ms | ONNX Runtime batch-1 ms | latency ratio, median (range) of rounds (goal ≤ 0.5×) | MnistMl batch-1000 images/s | ONNX Runtime batch-1000 images/s | throughput ratio (goal ≥ 2×) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
    }

    /// <summary>
    /// Times both predictors in alternation, so that the machine's swings in speed (other tenants
    /// of the host) fall on both alike: half a second of warm-up each, then ten blocks of 100
    /// single-image calls each (medians of the 1,000), then four passes of batches of 1,000 over
    /// the test set each (median images/s), who goes first alternating from block to block.
    /// </summary>
    private static (double[] Latency, double[] Throughput) MeasurePair(IPredictor[] predictors, float[] images, int size, int batches, int firstTurn)
    {
        var latencies = new[] { new List<double>(), new List<double>() };
        var throughputs = new[] { new List<double>(), new List<double>() };
        var clock = new System.Diagnostics.Stopwatch();
        foreach (var predictor in predictors)
        {
            images.AsSpan(0, size).CopyTo(predictor.Single);
            clock.Restart();
            while (clock.ElapsedMilliseconds < 500)
            {
                predictor.PredictOne();
            }

            Pass(predictor);
        }

        for (var block = 0; block < 10; block++)
        {
            for (var turn = 0; turn < 2; turn++)
            {
                var who = (block + turn + firstTurn) % 2;
                for (var i = 0; i < 100; i++)
                {
                    clock.Restart();
                    predictors[who].PredictOne();
                    latencies[who].Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }

        for (var pass = 0; pass < 4; pass++)
        {
            for (var turn = 0; turn < 2; turn++)
            {
                var who = (pass + turn + firstTurn) % 2;
                clock.Restart();
                Pass(predictors[who]);
                throughputs[who].Add(batches * PredictionTiming.BatchSize / clock.Elapsed.TotalSeconds);
            }
        }

        return ([Statistics.Median(latencies[0]), Statistics.Median(latencies[1])], [Statistics.Median(throughputs[0]), Statistics.Median(throughputs[1])]);

        void Pass(IPredictor predictor)
        {
            for (var b = 0; b < batches; b++)
            {
                images.AsSpan(b * PredictionTiming.BatchSize * size, PredictionTiming.BatchSize * size).CopyTo(predictor.Batch);
                predictor.PredictBatch();
            }
        }
    }

    private interface IPredictor
    {
        Span<float> Single { get; }

        Span<float> Batch { get; }

        void PredictOne();

        void PredictBatch();
    }

    /// <summary>Our engine, through the predictors <c>MnistModel.Predict</c> and <c>mnistml bench --infer</c> use.</summary>
    private sealed class EngineUnderTest(Sequential model) : IPredictor
    {
        private readonly Predictor _single = model.CreatePredictor(1);
        private readonly Predictor _batch = model.CreatePredictor(PredictionTiming.BatchSize);

        public Span<float> Single => _single.Input(0);

        public Span<float> Batch => _batch.Inputs(PredictionTiming.BatchSize);

        public float[] Outputs => _batch.Run(PredictionTiming.BatchSize).ToArray();

        public void PredictOne() => _single.Run(1);

        public void PredictBatch() => _batch.Run(PredictionTiming.BatchSize);
    }

    /// <summary>ONNX Runtime with its inputs and outputs bound once to pinned buffers.</summary>
    private sealed class RuntimeUnderTest : IPredictor, IDisposable
    {
        private readonly SessionOptions _options;
        private readonly InferenceSession _session;
        private readonly RunOptions _run = new();
        private readonly float[] _single = new float[784];
        private readonly float[] _batch = new float[PredictionTiming.BatchSize * 784];
        private readonly float[] _batchOutput;
        private readonly List<IDisposable> _bound = [];
        private readonly OrtIoBinding _singleBinding;
        private readonly OrtIoBinding _batchBinding;

        public RuntimeUnderTest(byte[] onnx, int threads, int classes)
        {
            _options = new SessionOptions
            {
                IntraOpNumThreads = threads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            _session = new InferenceSession(onnx, _options);
            _batchOutput = new float[PredictionTiming.BatchSize * classes];
            _singleBinding = Bind(_single, 1, new float[classes]);
            _batchBinding = Bind(_batch, PredictionTiming.BatchSize, _batchOutput);
        }

        public Span<float> Single => _single;

        public Span<float> Batch => _batch;

        public void PredictOne() => _session.RunWithBinding(_run, _singleBinding);

        public void PredictBatch() => _session.RunWithBinding(_run, _batchBinding);

        public float LargestDifference(EngineUnderTest engine, float[] images, int size)
        {
            images.AsSpan(0, _batch.Length).CopyTo(_batch);
            images.AsSpan(0, _batch.Length).CopyTo(engine.Batch);
            PredictBatch();
            return engine.Outputs.Zip(_batchOutput, (a, b) => Math.Abs(a - b)).Max();
        }

        public void Dispose()
        {
            _bound.ForEach(d => d.Dispose());
            _session.Dispose();
            _options.Dispose();
            _run.Dispose();
        }

        private OrtIoBinding Bind(float[] input, int batch, float[] output)
        {
            var binding = _session.CreateIoBinding();
            var inputValue = OrtValue.CreateTensorValueFromMemory(input, [batch, 28, 28, 1]);
            var outputValue = OrtValue.CreateTensorValueFromMemory(output, [batch, output.Length / batch]);
            binding.BindInput("input", inputValue);
            binding.BindOutput("probabilities", outputValue);
            _bound.AddRange([inputValue, outputValue, binding]);
            return binding;
        }
    }
}
