using System.Diagnostics;
using System.Globalization;
using MnistMl.Nn.Kernels;

namespace MnistMl.Benchmarks;

/// <summary>GFLOP/s of the matrix products a cnn training step makes (batch 128), median of repeats.</summary>
internal static class GemmThroughput
{
    public static void Run(int repeats)
    {
        (string Name, int M, int N, int K, bool Ta, bool Tb)[] shapes =
        [
            ("conv1 fwd  P·W", 128 * 676, 32, 9, false, false),
            ("conv1 dW   Pᵀ·dz", 9, 32, 128 * 676, true, false),
            ("conv2 fwd  P·W", 128 * 121, 64, 288, false, false),
            ("conv2 dW   Pᵀ·dz", 288, 64, 128 * 121, true, false),
            ("conv2 dP   dz·Wᵀ", 128 * 121, 288, 64, false, true),
            ("cnn64 c2 fwd", 32 * 576, 32, 576, false, false),
            ("cnn64 c2 dW", 576, 32, 32 * 576, true, false),
            ("cnn64 c2 dP", 576, 576, 32, false, true),
            ("mlp fwd    x·W", 128, 512, 784, false, false),
            ("mlp dW     xᵀ·dz", 784, 512, 128, true, false),
            ("cnn dense b1", 1, 10, 1600, false, false),
            ("cnn conv2 b1", 121, 64, 288, false, false),
            ("square 1024", 1024, 1024, 1024, false, false),
        ];
        foreach (var (name, m, n, k, ta, tb) in shapes)
        {
            var a = BenchmarkData.RandomFloats(m * k);
            var b = BenchmarkData.RandomFloats(k * n);
            var c = new float[m * n];
            var times = new List<double>();
            for (var r = 0; r < (m * n * (long)k < 1_000_000 ? 2000 : repeats) + 2; r++)
            {
                var clock = Stopwatch.StartNew();
                Gemm.Multiply(a, ta, b, tb, c, m, n, k, accumulate: false);
                times.Add(clock.Elapsed.TotalSeconds);
            }

            var median = times.Skip(2).Order().ElementAt((times.Count - 2) / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-18} {m,6}×{n,4}×{k,6}  {median * 1e3,8:F3} ms  {2.0 * m * n * k / median / 1e9,6:F1} GFLOP/s  (threads {WorkerPool.MaxThreads})"));
        }
    }
}
