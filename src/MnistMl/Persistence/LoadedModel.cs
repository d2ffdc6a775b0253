using MnistMl.Data;
using MnistMl.Nn;
using MnistMl.Transforms;

namespace MnistMl.Persistence;

/// <summary>A model read back by <see cref="ModelFile.Load(string)"/>: the network, its preprocessing, and the manifest it came from.</summary>
public sealed class LoadedModel
{
    internal LoadedModel(Sequential model, TransformerChain<ITransformer> preprocessing, DataViewSchema inputSchema, ModelManifest manifest)
    {
        Model = model;
        Preprocessing = preprocessing;
        InputSchema = inputSchema;
        Manifest = manifest;
    }

    /// <summary>The network with its saved weights; compiled with the saved optimizer and loss when the file names them.</summary>
    public Sequential Model { get; }

    /// <summary>The saved preprocessing, rebuilt; empty when the file holds none.</summary>
    public TransformerChain<ITransformer> Preprocessing { get; }

    /// <summary>The columns of the data the pipeline was fitted on; empty when the file holds no schema.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Everything the file says about the model: versions, creation time, training recipe, metrics, weights table.</summary>
    public ModelManifest Manifest { get; }
}
