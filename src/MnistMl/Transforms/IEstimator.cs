using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// An unfitted step of a pipeline: <see cref="Fit"/> learns what it needs from data (or only
/// checks the schema, for steps with nothing to learn) and returns the transformer.
/// </summary>
/// <typeparam name="TTransformer">The transformer <see cref="Fit"/> returns.</typeparam>
public interface IEstimator<out TTransformer>
    where TTransformer : ITransformer
{
    /// <summary>Fits the step to <paramref name="input"/>.</summary>
    /// <exception cref="SchemaMismatchException">A column the step reads is missing or has the wrong type.</exception>
    TTransformer Fit(IDataView input);
}
