using System.Collections;
using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>Transformers applied one after another; what <see cref="EstimatorChain{TLastTransformer}.Fit"/> returns.</summary>
/// <typeparam name="TLastTransformer">The type of the last transformer (the model, when the chain ends with a trainer).</typeparam>
public sealed class TransformerChain<TLastTransformer> : ITransformer, IEnumerable<ITransformer>
    where TLastTransformer : class, ITransformer
{
    private readonly ITransformer[] _transformers;

    /// <summary>Chains <paramref name="transformers"/>, applied in order; the last must be a <typeparamref name="TLastTransformer"/>.</summary>
    /// <exception cref="ArgumentException">The last transformer is not a <typeparamref name="TLastTransformer"/>.</exception>
    public TransformerChain(params ITransformer[] transformers)
    {
        ArgumentNullException.ThrowIfNull(transformers);
        if (transformers.Length > 0 && transformers[^1] is not TLastTransformer)
        {
            throw new ArgumentException(
                $"The last transformer is a {transformers[^1].GetType().Name}, not a {typeof(TLastTransformer).Name}.", nameof(transformers));
        }

        _transformers = [.. transformers];
    }

    /// <summary>The last transformer, or null for an empty chain.</summary>
    public TLastTransformer? LastTransformer => _transformers.Length == 0 ? null : (TLastTransformer)_transformers[^1];

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        _transformers.Aggregate(inputSchema, (schema, transformer) => transformer.GetOutputSchema(schema));

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) =>
        _transformers.Aggregate(input, (view, transformer) => transformer.Transform(view));

    /// <summary>This chain followed by <paramref name="transformer"/>.</summary>
    public TransformerChain<TNewLast> Append<TNewLast>(TNewLast transformer)
        where TNewLast : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return new TransformerChain<TNewLast>([.. _transformers, transformer]);
    }

    /// <inheritdoc/>
    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_transformers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
