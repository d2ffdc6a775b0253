namespace MnistMl.Nn;

/// <summary>Mean over the outputs of <c>(p − y)²</c>, averaged over the batch.</summary>
public sealed class MeanSquaredError : PointwiseLoss
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_error";

    private protected override T Value<T>(T difference) => difference * difference;

    private protected override T Derivative<T>(T difference) => difference + difference;
}
