using MnistMl.Nn;
using MnistMl.Persistence;
using MnistMl.Tests.Data;
using MnistMl.Tests.Nn;
using MnistMl.Training;

namespace MnistMl.Tests.Training;

public class CallbackTests
{
    [Fact]
    public void EarlyStopping_stops_after_patience_epochs_without_improvement_and_restores_the_best()
    {
        var model = Compiled();
        var stopping = new EarlyStopping("val_loss", patience: 1, restoreBestWeights: true) { Model = model };
        stopping.OnTrainBegin();
        var weightsAtBest = Array.Empty<float>();
        foreach (var (epoch, valLoss) in new[] { (0, 1.0), (1, 0.5), (2, 0.6), (3, 0.7) })
        {
            if (epoch == 1)
            {
                weightsAtBest = model.Layers[1].GetWeights()[0].Data;
            }

            stopping.OnEpochEnd(Logs(epoch, valLoss));
            model.Layers[1].Op.Parameters[0].Value[0] += 1;
        }

        Assert.True(model.StopTraining);
        Assert.Equal(3, stopping.StoppedEpoch);
        Assert.Equal(1, stopping.BestEpoch);
        stopping.OnTrainEnd(new History());
        Assert.Equal(weightsAtBest, model.Layers[1].GetWeights()[0].Data);
    }

    [Fact]
    public void EarlyStopping_on_a_missing_figure_names_the_figures_there_are()
    {
        var stopping = new EarlyStopping("val_loss") { Model = Compiled() };
        stopping.OnTrainBegin();
        var error = Assert.Throws<InvalidOperationException>(() => stopping.OnEpochEnd(new EpochLogs { Epoch = 0, Loss = 1, Seconds = 1, LearningRate = 0.001 }));
        Assert.Contains("validation data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReduceLROnPlateau_multiplies_the_rate_after_patience_epochs()
    {
        var model = Compiled();
        var reduce = new ReduceLROnPlateau(factor: 0.5, patience: 2) { Model = model };
        reduce.OnTrainBegin();
        reduce.OnEpochEnd(Logs(0, 1.0));
        reduce.OnEpochEnd(Logs(1, 1.0));
        Assert.Equal(0.001, model.Optimizer!.LearningRate, 15);
        reduce.OnEpochEnd(Logs(2, 1.0));
        Assert.Equal(0.0005, model.Optimizer.LearningRate, 15);
    }

    [Fact]
    public void TerminateOnNaN_stops_training_when_the_loss_diverges()
    {
        var (x, y) = SyntheticData.Quadrants(64);
        var model = SyntheticData.SmallCnn();
        model.Compile(new SGD(learningRate: 1e30), Losses.MeanSquaredError);
        var terminate = new TerminateOnNaN();
        var history = model.Fit(x, y, batchSize: 8, epochs: 5, callbacks: [terminate]);
        Assert.NotNull(terminate.TerminatedAt);
        Assert.Single(history.Epochs);
    }

    [Fact]
    public void ModelCheckpoint_saves_weights_that_reload_to_identical_predictions()
    {
        using var folder = new TempFolder();
        var (x, y) = SyntheticData.Quadrants(64);
        var model = SyntheticData.SmallCnn();
        model.Compile(new Adam(), Losses.CategoricalCrossentropy, Metric.Accuracy);
        var checkpoint = new ModelCheckpoint(Path.Combine(folder.Path, "epoch{epoch}.weights"), monitor: "loss");
        model.Fit(x, y, batchSize: 16, epochs: 2, callbacks: [checkpoint]);
        Assert.Equal(Path.Combine(folder.Path, "epoch2.weights"), checkpoint.LastSavedPath);
        Assert.True(File.Exists(Path.Combine(folder.Path, "epoch1.weights")));

        var copy = SyntheticData.SmallCnn(seed: 123);
        copy.Compile(new Adam(), Losses.CategoricalCrossentropy);
        copy.LoadWeights(checkpoint.LastSavedPath!);
        Assert.Equal(model.Predict(x).Data, copy.Predict(x).Data);
    }

    [Fact]
    public void LoadWeights_rejects_a_damaged_file_and_keeps_the_weights()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "w.bin");
        var model = Compiled();
        model.SaveWeights(path);
        var bytes = File.ReadAllBytes(path);
        bytes[40] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        var before = model.Layers[1].GetWeights()[0].Data;
        var error = Assert.Throws<ModelFormatException>(() => model.LoadWeights(path));
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Layers[1].GetWeights()[0].Data);
    }

    [Fact]
    public void LoadWeights_rejects_a_truncated_file()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "w.bin");
        var model = Compiled();
        model.SaveWeights(path);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);
        Assert.Throws<ModelFormatException>(() => model.LoadWeights(path));
    }

    [Fact]
    public void LoadWeights_rejects_weights_of_another_architecture()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "w.bin");
        ModelPreset.Dnn.CreateModel().SaveWeights(path);
        var error = Assert.Throws<ModelFormatException>(() => ModelPreset.Mlp.CreateModel().LoadWeights(path));
        Assert.Contains("weight tensors but the architecture has 4", error.Message, StringComparison.Ordinal);
    }

    private static Sequential Compiled()
    {
        var model = SyntheticData.SmallCnn();
        model.Compile(new Adam(), Losses.CategoricalCrossentropy, Metric.Accuracy);
        return model;
    }

    private static EpochLogs Logs(int epoch, double valLoss) =>
        new() { Epoch = epoch, Loss = valLoss, ValLoss = valLoss, Seconds = 1, LearningRate = 0.001 };
}
