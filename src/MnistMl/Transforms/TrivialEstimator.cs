using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// An estimator with nothing to learn: its transformer is fixed by its options, and
/// <see cref="Fit"/> only checks that the data has the columns the transformer reads.
/// </summary>
/// <typeparam name="TTransformer">The transformer <see cref="Fit"/> returns.</typeparam>
public abstract class TrivialEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : class, ITransformer
{
    private readonly TTransformer _transformer;

    private protected TrivialEstimator(TTransformer transformer)
    {
        _transformer = transformer;
    }

    /// <summary>Checks <paramref name="input"/>'s schema and returns the transformer; no row is read.</summary>
    /// <exception cref="SchemaMismatchException">A column the transformer reads is missing or has the wrong type.</exception>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }
}
