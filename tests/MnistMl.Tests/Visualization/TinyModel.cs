using MnistMl.Data;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Visualization;

/// <summary>
/// A small model trained once per test run on real MNIST: the dnn preset, two epochs on 2,000
/// training images with a fifth held out for validation, so it has a history with validation
/// figures and makes plenty of mistakes on <see cref="Test"/>.
/// </summary>
internal static class TinyModel
{
    private static readonly Lazy<MnistModel> Trained = new(() =>
    {
        var ml = new MnistContext(seed: 11);
        var train = ml.Data.LoadMnist(MnistTestData.Slice(MnistTestData.Train, 0, 2000));
        var pipeline = ml.Transforms.ScalePixels()
            .Append(ml.Transforms.Reshape(28, 28, 1))
            .Append(ml.Trainers.Cnn(o =>
            {
                o.Preset = "dnn";
                o.Epochs = 2;
                o.ValidationFraction = 0.2;
            }));
        return MnistModel.FromPipeline(pipeline.Fit(train), train.Schema);
    });

    private static readonly Lazy<MnistDataset> TestImages = new(() => MnistTestData.Slice(MnistTestData.Test, 0, 1000));

    public static MnistModel Model => Trained.Value;

    /// <summary>The first 1,000 MNIST test images.</summary>
    public static MnistDataset Test => TestImages.Value;
}
