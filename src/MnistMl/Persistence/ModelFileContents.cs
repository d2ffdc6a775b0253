using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl.Persistence;

/// <summary>
/// What a model file holds besides the network, all optional: how grey levels are scaled before
/// the network, the training recipe and the final metrics. The optimizer, loss and metric names
/// come from the model itself when it is compiled.
/// </summary>
public sealed class ModelFileContents
{
    /// <summary>
    /// The scalings grey levels go through, in order, before the network (usually one,
    /// <see cref="PixelScaling.UnitRange"/>). When set, the file also records that the model reads
    /// an <c>Image</c> column of grey levels (Byte) in the network's input shape.
    /// </summary>
    public IReadOnlyList<PixelScaling>? PixelScalings { get; init; }

    /// <summary>The recipe <c>Fit</c> was given; its batch size, epochs and validation split are saved.</summary>
    public FitOptions? FitOptions { get; init; }

    /// <summary>Final metrics by name, e.g. <c>testAccuracy</c>; every value must be finite.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    /// <summary>
    /// The state of an unfinished run, saved beside the weights it goes with, so that training can
    /// be resumed from this file (<see cref="FitOptions.ResumeFrom"/>); null for a finished model.
    /// </summary>
    public TrainingState? TrainingState { get; init; }
}
