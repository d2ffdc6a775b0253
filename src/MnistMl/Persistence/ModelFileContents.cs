using MnistMl.Data;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl.Persistence;

/// <summary>
/// What a model file holds besides the network, all optional: the schema of the data the pipeline
/// reads, the preprocessing that prepares it, the training recipe and the final metrics. The
/// optimizer, loss and metric names come from the model itself when it is compiled.
/// </summary>
public sealed class ModelFileContents
{
    /// <summary>The columns of the data the pipeline was fitted on (e.g. <c>Label: Byte, Image: Vector&lt;Byte, 28, 28&gt;</c>).</summary>
    public DataViewSchema? InputSchema { get; init; }

    /// <summary>
    /// The fitted preprocessing: one transformer or a <see cref="TransformerChain{TLastTransformer}"/>
    /// of pixel scaling, image reshaping and one-hot encoding transformers.
    /// </summary>
    public ITransformer? Preprocessing { get; init; }

    /// <summary>The recipe <c>Fit</c> was given; its batch size, epochs and validation split are saved.</summary>
    public FitOptions? FitOptions { get; init; }

    /// <summary>Final metrics by name, e.g. <c>testAccuracy</c>; every value must be finite.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }
}
