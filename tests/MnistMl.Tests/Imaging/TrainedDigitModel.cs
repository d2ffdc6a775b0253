using MnistMl.Tests.Data;

namespace MnistMl.Tests.Imaging;

/// <summary>
/// One quickly trained model shared by the tests that predict images: the dnn recipe on the
/// first 12,000 MNIST training images for 2 epochs, through the pipeline API, trained once per
/// test run (about a second).
/// </summary>
internal static class TrainedDigitModel
{
    private const int TrainImages = 12_000;

    private static readonly Lazy<MnistModel> Trained = new(Train);

    public static MnistModel Model => Trained.Value;

    private static MnistModel Train()
    {
        var slice = MnistTestData.Slice(MnistTestData.Train, 0, TrainImages);
        var ml = new MnistContext(seed: 1);
        var data = ml.Data.LoadMnist(slice);
        var pipeline = ml.Transforms.ScalePixels()
            .Append(ml.Transforms.Reshape(DigitImage.Size, DigitImage.Size, 1))
            .Append(ml.Trainers.Cnn(o => { o.Preset = "dnn"; o.Epochs = 2; }));
        return MnistModel.FromPipeline(pipeline.Fit(data), data.Schema);
    }
}
