using MnistMl.Data;
using MnistMl.Nn;
using MnistMl.Training;

namespace MnistMl;

/// <summary>Options of <see cref="MnistModel.Train"/>; unset values come from the preset's recipe.</summary>
public sealed class MnistTrainingOptions
{
    /// <summary>The recipe: <c>cnn</c> (default), <c>mlp</c>, <c>cnn64</c> or <c>dnn</c>.</summary>
    public string Preset { get; set; } = CnnTrainer.Options.Defaults.Preset;

    /// <summary>Epochs; the preset's when null.</summary>
    public int? Epochs { get; set; }

    /// <summary>Batch size; the preset's when null.</summary>
    public int? BatchSize { get; set; }

    /// <summary>The optimizer; the preset's when null.</summary>
    public Optimizer? Optimizer { get; set; }

    /// <summary>Overrides the optimizer's learning rate.</summary>
    public double? LearningRate { get; set; }

    /// <summary>Fraction of the training images held out for validation (the last ones); the preset's when null.</summary>
    public double? ValidationFraction { get; set; }

    /// <summary>The seed of the whole run. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Where MNIST is found or downloaded (folder, <c>MNISTML_DATA</c>, cache, mirrors).</summary>
    public MnistDataOptions Data { get; set; } = new();

    /// <summary>
    /// When set, the model (with its preprocessing) is saved here after every epoch, atomically,
    /// so an interrupted run keeps its last complete epoch.
    /// </summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Extra callbacks (checkpoints, early stopping, ...).</summary>
    public IList<Callback> Callbacks { get; } = [];
}
