using Microsoft.ML;
using MnistMl.Data;
using MnistMl.Tests.Data;
using MnistMl.Trainers;

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
        var ml = new MLContext(seed: 11);
        var trainer = ml.MulticlassClassification.Trainers.KerasCnn(new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 2, ValidationFraction = 0.2, Seed = 11 });
        return MnistModel.FromTransformer(trainer.Fit(ml.Data.LoadMnist(MnistTestData.Slice(MnistTestData.Train, 0, 2000))));
    });

    private static readonly Lazy<MnistDataset> TestImages = new(() => MnistTestData.Slice(MnistTestData.Test, 0, 1000));

    public static MnistModel Model => Trained.Value;

    /// <summary>The first 1,000 MNIST test images.</summary>
    public static MnistDataset Test => TestImages.Value;
}
