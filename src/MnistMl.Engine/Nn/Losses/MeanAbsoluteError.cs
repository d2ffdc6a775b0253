namespace MnistMl.Nn;

/// <summary>Mean over the outputs of <c>|p − y|</c>, averaged over the batch.</summary>
public sealed class MeanAbsoluteError : PointwiseLoss
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_error";

    private protected override T Value<T>(T difference) => T.Abs(difference);

    private protected override T Derivative<T>(T difference) => T.CreateChecked(T.Sign(difference));
}
