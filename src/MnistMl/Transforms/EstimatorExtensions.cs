using MnistMl.Transforms;

namespace MnistMl;

/// <summary>Starting a pipeline from any estimator: <c>ml.Transforms.ScalePixels().Append(...)</c>.</summary>
public static class EstimatorExtensions
{
    /// <summary>A chain of <paramref name="start"/> followed by <paramref name="estimator"/>.</summary>
    public static EstimatorChain<TNewLast> Append<TNewLast>(this IEstimator<ITransformer> start, IEstimator<TNewLast> estimator)
        where TNewLast : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        return new EstimatorChain<ITransformer>().Append(start).Append(estimator);
    }
}
