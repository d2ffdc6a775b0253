using MnistMl.Data;
using MnistMl.Trainers;

namespace MnistMl;

/// <summary>What <see cref="MnistModel.Train"/> trains and where it finds MNIST.</summary>
public sealed class MnistTrainingOptions
{
    /// <summary>The recipe: preset, epochs, batch size, optimizer, learning rate, validation, seed, callbacks (the trainer's own options).</summary>
    public KerasCnnTrainer.Options Trainer { get; set; } = new();

    /// <summary>Where MNIST is found or downloaded to.</summary>
    public MnistDataOptions Data { get; set; } = new();

    /// <summary>When set, the whole model is saved here after every epoch (atomically).</summary>
    public string? CheckpointPath { get; set; }
}
