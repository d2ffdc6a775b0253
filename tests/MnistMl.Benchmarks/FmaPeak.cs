using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MnistMl.Nn.Kernels;

namespace MnistMl.Benchmarks;

/// <summary>
/// The machine's arithmetic ceiling: independent fused multiply-adds on registers only (no memory
/// traffic), on every thread at once, for 256- and 512-bit vectors. A matrix library's large
/// product (OpenBLAS's 4096² through torch.mm) reaches this only if its kernels use the widest
/// vectors the processor runs at full rate.
/// </summary>
internal static class FmaPeak
{
    private const int Iterations = 20_000_000;

    public static void Run(int threads)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"register-only FMA peak, {threads} thread(s), best of 3:"));
        Report("Vector256", threads, 2 * 12 * Vector256<float>.Count, Fma256);
        if (Vector512.IsHardwareAccelerated)
        {
            Report("Vector512", threads, 2 * 12 * Vector512<float>.Count, Fma512);
        }
    }

    private static void Report(string name, int threads, int flopsPerIteration, Func<int, float> kernel)
    {
        kernel(1000);
        var best = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => kernel(Iterations));
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        var gflops = (double)flopsPerIteration * Iterations * threads / best / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {gflops,7:F1} GFLOP/s"));
    }

    private static float Fma256(int iterations) => Fma<Width256<float>, Vector256<float>>(iterations);

    private static float Fma512(int iterations) => Fma<Width512<float>, Vector512<float>>(iterations);

    /// <summary>Twelve independent accumulator chains: enough to cover the FMA latency on both pipes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fma<TWidth, TVector>(int iterations)
        where TWidth : IVectorWidth<float, TVector>
        where TVector : struct
    {
        var x = TWidth.Broadcast(0.999f);
        var y = TWidth.Broadcast(1e-7f);
        TVector a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        TVector a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (var i = 0; i < iterations; i++)
        {
            a0 = TWidth.MultiplyAdd(a0, x, y);
            a1 = TWidth.MultiplyAdd(a1, x, y);
            a2 = TWidth.MultiplyAdd(a2, x, y);
            a3 = TWidth.MultiplyAdd(a3, x, y);
            a4 = TWidth.MultiplyAdd(a4, x, y);
            a5 = TWidth.MultiplyAdd(a5, x, y);
            a6 = TWidth.MultiplyAdd(a6, x, y);
            a7 = TWidth.MultiplyAdd(a7, x, y);
            a8 = TWidth.MultiplyAdd(a8, x, y);
            a9 = TWidth.MultiplyAdd(a9, x, y);
            a10 = TWidth.MultiplyAdd(a10, x, y);
            a11 = TWidth.MultiplyAdd(a11, x, y);
        }

        // Keeps the chains alive: the JIT may not drop work whose result is used.
        var sum = TWidth.Add(TWidth.Add(TWidth.Add(a0, a1), TWidth.Add(a2, a3)), TWidth.Add(TWidth.Add(a4, a5), TWidth.Add(a6, a7)));
        sum = TWidth.Add(sum, TWidth.Add(TWidth.Add(a8, a9), TWidth.Add(a10, a11)));
        return sum.GetHashCode();
    }
}
