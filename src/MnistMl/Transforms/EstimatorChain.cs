using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// Estimators fitted one after another: each is fitted on the data as transformed by the ones
/// before it. Built with <c>Append</c>, starting from any estimator.
/// </summary>
/// <typeparam name="TLastTransformer">The transformer type of the last estimator.</typeparam>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>
    where TLastTransformer : class, ITransformer
{
    private readonly IEstimator<ITransformer>[] _estimators;

    /// <summary>Creates an empty chain, to <see cref="Append{TNewLast}"/> to.</summary>
    public EstimatorChain()
    {
        _estimators = [];
    }

    private EstimatorChain(IEstimator<ITransformer>[] estimators)
    {
        _estimators = estimators;
    }

    /// <summary>The estimators, in order.</summary>
    public IReadOnlyList<IEstimator<ITransformer>> Estimators => _estimators;

    /// <summary>This chain followed by <paramref name="estimator"/>.</summary>
    public EstimatorChain<TNewLast> Append<TNewLast>(IEstimator<TNewLast> estimator)
        where TNewLast : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return new EstimatorChain<TNewLast>([.. _estimators, estimator]);
    }

    /// <summary>
    /// Fits each estimator on <paramref name="input"/> as transformed by the transformers fitted
    /// before it. Transforming is lazy, so only estimators that learn from data read it.
    /// </summary>
    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformers = new ITransformer[_estimators.Length];
        var data = input;
        for (var i = 0; i < _estimators.Length; i++)
        {
            transformers[i] = _estimators[i].Fit(data);
            if (i + 1 < _estimators.Length)
            {
                data = transformers[i].Transform(data);
            }
        }

        return new TransformerChain<TLastTransformer>(transformers);
    }
}
