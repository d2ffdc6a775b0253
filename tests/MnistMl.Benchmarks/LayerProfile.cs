using System.Diagnostics;
using System.Globalization;
using MnistMl.Nn;
using MnistMl.Training;

namespace MnistMl.Benchmarks;

/// <summary>
/// Median time of each layer's forward and backward pass for one batch of a preset, with the
/// GFLOP/s of the layers that multiply: where a training step's time goes.
/// </summary>
internal static class LayerProfile
{
    /// <summary>
    /// Unmeasured steps first: the JIT recompiles hot methods (tiered compilation) in the
    /// background during the first second or so, and with 2 cores busy a short profile measured
    /// half-compiled code now and then (cnn's layers at 11K or 21K samples/s from run to run).
    /// </summary>
    private const int Warmup = 60;

    /// <summary>Prints the per-layer medians; <paramref name="inference"/> times inference-mode forward passes only (what a prediction runs).</summary>
    public static void Run(string presetName, int batch, int repeats, bool inference = false)
    {
        var model = ModelPreset.Get(presetName).CreateModel();
        var network = model.Network;
        var random = new Random(1);
        var input = new float[batch * network.InputSize];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = random.NextSingle();
        }

        var forward = new List<double>[network.Ops.Length];
        var backward = new List<double>[network.Ops.Length];
        for (var i = 0; i < network.Ops.Length; i++)
        {
            forward[i] = [];
            backward[i] = [];
        }

        var clock = new Stopwatch();
        for (var r = 0; r < Warmup + repeats; r++)
        {
            var x = input;
            for (var i = 0; i < network.Ops.Length; i++)
            {
                clock.Restart();
                x = network.Ops[i].Forward(x, batch, training: !inference);
                forward[i].Add(clock.Elapsed.TotalMilliseconds);
            }

            if (inference)
            {
                continue;
            }

            var g = new float[batch * network.OutputSize];
            for (var j = 0; j < g.Length; j++)
            {
                g[j] = (random.NextSingle() - 0.5f) / batch;
            }

            for (var i = network.Ops.Length - 1; i >= 0; i--)
            {
                clock.Restart();
                g = network.Ops[i].Backward(g, batch);
                backward[i].Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{presetName}, batch {batch}, {(inference ? "inference, " : string.Empty)}medians of {repeats} (ms):"));
        double totalF = 0, totalB = 0;
        for (var i = 0; i < network.Ops.Length; i++)
        {
            var op = network.Ops[i];
            var f = Median(forward[i].Skip(Warmup));
            var b = inference ? 0 : Median(backward[i].Skip(Warmup));
            totalF += f;
            totalB += b;
            var macs = model.Layers[i + 1] switch
            {
                Conv2D c => (double)op.OutputSize * c.KernelSize.Height * c.KernelSize.Width * op.InputShape[^1],
                Dense => (double)op.InputSize * op.OutputSize,
                _ => 0,
            };
            // Backward is two products (weights and input gradients), or one for the first layer with weights.
            var backwardProducts = op.SkipInputGradient ? 1 : 2;
            var gflops = macs == 0 ? string.Empty
                : inference ? $"  fwd {2 * macs * batch / f / 1e6,6:F1} GFLOP/s"
                : $"  fwd {2 * macs * batch / f / 1e6,6:F1} GFLOP/s  bwd {2 * backwardProducts * macs * batch / b / 1e6,6:F1} GFLOP/s";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {model.Layers[i + 1].Name,-16} fwd {f,7:F3}  bwd {b,7:F3}{gflops}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  total            fwd {totalF,7:F3}  bwd {totalB,7:F3}  => {batch / ((totalF + totalB) / 1000):F0} samples/s (layers only)"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
