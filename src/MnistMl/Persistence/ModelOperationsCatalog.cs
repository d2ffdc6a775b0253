using System.Diagnostics.CodeAnalysis;
using MnistMl.Data;
using MnistMl.Training;
using MnistMl.Transforms;

namespace MnistMl.Persistence;

/// <summary>Saving, loading and serving fitted pipelines (<c>ml.Model</c>), as ML.NET's model catalog.</summary>
[SuppressMessage("Performance", "CA1822", Justification = "Catalog operations are instance members so that IntelliSense on ml.Model finds them, as in ML.NET.")]
public sealed class ModelOperationsCatalog
{
    internal ModelOperationsCatalog()
    {
    }

    /// <summary>
    /// Saves a fitted pipeline that ends with the CNN trainer as a model <c>.zip</c> (atomically).
    /// Transforms of the label column are left out: the saved model predicts from images alone.
    /// </summary>
    /// <param name="model">The fitted pipeline (or the trainer's transformer alone).</param>
    /// <param name="inputSchema">The schema of the data the pipeline was fitted on.</param>
    /// <param name="path">Where to write.</param>
    /// <exception cref="ArgumentException">The pipeline does not end with a trained classifier.</exception>
    public void Save(ITransformer model, DataViewSchema inputSchema, string path) =>
        MnistModel.FromPipeline(model, inputSchema).Save(path);

    /// <summary>Loads a model <c>.zip</c> as a pipeline (preprocessing, then scoring) and the schema it reads.</summary>
    /// <exception cref="ModelFormatException">The file is not a usable model; the message says why.</exception>
    public ITransformer Load(string path, out DataViewSchema inputSchema)
    {
        var model = MnistModel.Load(path);
        inputSchema = model.InputSchema;
        return model.Pipeline;
    }

    /// <summary>A single-threaded prediction engine over a fitted pipeline: one per thread.</summary>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer model)
        where TSrc : class
        where TDst : class, new() => new(model);
}
