using MnistMl.Data;
using MnistMl.Tests.Data;

using MnistMl.Trainers;

namespace MnistMl.Tests;

/// <summary>One small model trained on real MNIST (dnn preset, one epoch) and saved, shared by a test class.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    public TrainedModelFixture()
    {
        Result = MnistModel.Train(new MnistTrainingOptions
        {
            Trainer = new KerasCnnTrainer.Options { Preset = "dnn", Epochs = 1, Seed = 3 },
            Data = new MnistDataOptions { DataFolder = MnistTestData.Folder, AllowDownload = false },
        });
        Folder = new TempFolder();
        ModelPath = System.IO.Path.Combine(Folder.Path, "model.zip");
        Result.Model.Save(ModelPath);
    }

    public MnistTrainingResult Result { get; }

    public TempFolder Folder { get; }

    public string ModelPath { get; }

    public void Dispose() => Folder.Dispose();
}
