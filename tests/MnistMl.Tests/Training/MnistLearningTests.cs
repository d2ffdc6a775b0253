using MnistMl.Tests.Data;
using MnistMl.Training;

namespace MnistMl.Tests.Training;

/// <summary>
/// Each preset trained briefly on a slice of real MNIST must clear a floor that a model with a
/// broken gradient cannot reach (chance is 0.10). The full-length accuracy runs are benchmarks
/// (<c>mnistml bench</c>), not tests.
/// </summary>
public class MnistLearningTests
{
    [Theory]
    [InlineData("cnn", 6000, 2, 0.85)]
    [InlineData("mlp", 6000, 1, 0.85)]
    [InlineData("cnn64", 3000, 1, 0.85)]
    [InlineData("dnn", 12000, 2, 0.85)]
    public void Preset_learns_mnist_from_a_slice(string presetName, int trainImages, int epochs, double floor)
    {
        var preset = ModelPreset.Get(presetName);
        var model = preset.CreateModel(seed: 1);
        var history = model.Fit(new MnistSampleSource(MnistTestData.Train, !preset.SparseTargets, trainImages), preset.CreateFitOptions(epochs));
        var test = model.Evaluate(new MnistSampleSource(MnistTestData.Test, !preset.SparseTargets, 2000), batchSize: 500);
        Assert.True(test.Accuracy >= floor, $"{presetName}: test accuracy {test.Accuracy:F4} after {epochs} epoch(s) on {trainImages} images is below {floor}");
        Assert.True(history.Loss[^1] < 2.0, $"{presetName}: final training loss {history.Loss[^1]}");
    }
}
