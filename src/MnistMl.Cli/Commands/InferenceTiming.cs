using System.Diagnostics;
using MnistMl.Data;
using MnistMl.Nn;

namespace MnistMl.Cli.Commands;

/// <summary>
/// Prediction speed as the PyTorch peer measures it: images already scaled to floats, then the
/// median of 1,000 single-image calls and the throughput of batches of 1,000 over the test set.
/// </summary>
internal sealed record InferenceTiming(double InferBatch1Ms, double InferBatch1000ImagesPerSecond)
{
    public static InferenceTiming Measure(Sequential model, MnistDataset test)
    {
        var size = test.PixelsPerImage;
        var images = new float[test.Count * size];
        for (var i = 0; i < images.Length; i++)
        {
            images[i] = test.Images.Span[i] / 255f;
        }

        var single = model.CreatePredictor(1);
        images.AsSpan(0, size).CopyTo(single.Input(0));
        for (var i = 0; i < 50; i++)
        {
            single.Run(1);
        }

        var latencies = new double[1000];
        var clock = new Stopwatch();
        for (var i = 0; i < latencies.Length; i++)
        {
            clock.Restart();
            single.Run(1);
            latencies[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(latencies);
        var batch = model.CreatePredictor(1000);
        var batches = test.Count / 1000;
        void Pass()
        {
            for (var b = 0; b < batches; b++)
            {
                images.AsSpan(b * 1000 * size, 1000 * size).CopyTo(batch.Inputs(1000));
                batch.Run(1000);
            }
        }

        Pass();
        clock.Restart();
        const int Passes = 3;
        for (var p = 0; p < Passes; p++)
        {
            Pass();
        }

        return new InferenceTiming(latencies[latencies.Length / 2], Passes * batches * 1000 / clock.Elapsed.TotalSeconds);
    }
}
