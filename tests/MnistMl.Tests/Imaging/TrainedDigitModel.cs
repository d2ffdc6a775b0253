using Microsoft.ML;
using MnistMl.Tests.Data;
using MnistMl.Trainers;

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
        var ml = new MLContext(seed: 1);
        var trainer = ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 2, Seed = 1 });
        return MnistModel.FromTransformer(trainer.Fit(ml.Data.LoadMnist(slice)));
    }
}
