using MnistMl.Nn;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl.Persistence;

/// <summary>A model read back by <see cref="ModelFile.Load(string, long)"/>: the network, its grey-level scaling, and the manifest it came from.</summary>
public sealed class LoadedModel
{
    internal LoadedModel(Sequential model, IReadOnlyList<PixelScaling> pixelScalings, ModelManifest manifest, TrainingState? trainingState = null)
    {
        Model = model;
        PixelScalings = pixelScalings;
        Manifest = manifest;
        TrainingState = trainingState;
    }

    /// <summary>The network with its saved weights; compiled with the saved optimizer and loss when the file names them.</summary>
    public Sequential Model { get; }

    /// <summary>The scalings grey levels go through, in order, before the network; empty when the file holds none.</summary>
    public IReadOnlyList<PixelScaling> PixelScalings { get; }

    /// <summary>Everything the file says about the model: versions, creation time, training recipe, metrics, weights table.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The state of the unfinished run this file was saved from, to resume it (<see cref="FitOptions.ResumeFrom"/>); null for a finished model.</summary>
    public TrainingState? TrainingState { get; }
}
