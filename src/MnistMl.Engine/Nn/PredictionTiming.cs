using System.Diagnostics;

namespace MnistMl.Nn;

/// <summary>
/// How prediction speed is measured, the same for our engine and for a peer runtime: the median of
/// 1,000 single-image calls after half a second of warm-up calls, and the throughput of batches of 1,000 images
/// over a data set (one warm-up pass, then three timed passes). Inputs are prepared beforehand.
/// </summary>
internal static class PredictionTiming
{
    public const int BatchSize = 1000;

    /// <summary>Times <paramref name="predictOne"/> and <paramref name="predictBatch"/> (given the batch's index, 0 to <paramref name="batches"/> − 1).</summary>
    public static (double Batch1MedianMs, double Batch1000ImagesPerSecond) Measure(Action predictOne, Action<int> predictBatch, int batches)
    {
        // Warm up for half a second: the JIT's tiered recompilation of the hot methods (in the
        // background) must be done before anything is timed, or the first figures read half-speed code.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 500)
        {
            predictOne();
        }

        var latencies = new double[1000];
        var clock = new Stopwatch();
        for (var i = 0; i < latencies.Length; i++)
        {
            clock.Restart();
            predictOne();
            latencies[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(latencies);
        void Pass()
        {
            for (var b = 0; b < batches; b++)
            {
                predictBatch(b);
            }
        }

        Pass();
        const int Passes = 3;
        clock.Restart();
        for (var p = 0; p < Passes; p++)
        {
            Pass();
        }

        return (latencies[latencies.Length / 2], Passes * batches * BatchSize / clock.Elapsed.TotalSeconds);
    }
}
