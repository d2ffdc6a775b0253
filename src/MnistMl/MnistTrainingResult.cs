using Microsoft.ML.Data;
using MnistMl.Training;

namespace MnistMl;

/// <summary>What <see cref="MnistModel.Train"/> returns.</summary>
/// <param name="Model">The trained model, ready to predict or save.</param>
/// <param name="TestMetrics">Its metrics on the 10,000 MNIST test images.</param>
/// <param name="History">Loss and accuracy of each epoch (of the last member, for an ensemble).</param>
public sealed record MnistTrainingResult(MnistModel Model, MulticlassClassificationMetrics TestMetrics, History History)
{
    /// <summary>For an ensemble, each member's own result, in seed order; empty for a single model.</summary>
    public IReadOnlyList<MnistTrainingResult> Members { get; init; } = [];
}
