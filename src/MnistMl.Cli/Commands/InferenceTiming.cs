using MnistMl.Data;
using MnistMl.Nn;

namespace MnistMl.Cli.Commands;

/// <summary>
/// Prediction speed as the PyTorch peer measures it (<see cref="PredictionTiming"/>): images
/// already scaled to floats, the median of 1,000 single-image calls and the throughput of batches of
/// 1,000 over the test set.
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
        var batch = model.CreatePredictor(PredictionTiming.BatchSize);
        var (batch1Ms, imagesPerSecond) = PredictionTiming.Measure(
            () => single.Run(1),
            b =>
            {
                images.AsSpan(b * PredictionTiming.BatchSize * size, PredictionTiming.BatchSize * size).CopyTo(batch.Inputs(PredictionTiming.BatchSize));
                batch.Run(PredictionTiming.BatchSize);
            },
            test.Count / PredictionTiming.BatchSize);
        return new InferenceTiming(batch1Ms, imagesPerSecond);
    }
}
