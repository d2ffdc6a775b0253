using System.Numerics;

namespace MnistMl.Nn;

/// <summary>
/// The computation of one layer in one precision: float32 for training and prediction, float64 for
/// the gradient checks, from the same code. Buffers hold a whole batch, row-major and batch-first,
/// and are reused from batch to batch.
/// </summary>
internal abstract class LayerOp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly ParameterBuffer<T>[] NoParameters = [];

    protected LayerOp(int[] inputShape, int[] outputShape)
    {
        InputShape = inputShape;
        OutputShape = outputShape;
        InputSize = Shapes.Product(inputShape);
        OutputSize = Shapes.Product(outputShape);
    }

    public int[] InputShape { get; }

    public int[] OutputShape { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    /// <summary>Weights the optimizer updates, in the order Keras lists them (kernel, then bias).</summary>
    public virtual IReadOnlyList<ParameterBuffer<T>> Parameters => NoParameters;

    /// <summary>Weights that are saved but not trained (batch normalisation's moving statistics).</summary>
    public virtual IReadOnlyList<ParameterBuffer<T>> State => NoParameters;

    /// <summary>Every weight in save order: the trainable ones, then the state (an ensemble lists its members' in turn).</summary>
    public virtual IEnumerable<ParameterBuffer<T>> Weights => Parameters.Concat(State);

    /// <summary>
    /// Set for the first layer: its input gradient is never used, so backward skips computing it.
    /// </summary>
    public virtual bool SkipInputGradient { get; set; }

    /// <summary>
    /// Set when the loss hands this layer the gradient with respect to the pre-activation values
    /// directly (softmax fused with cross-entropy).
    /// </summary>
    public bool OutputGradientIsPreActivation { get; set; }

    /// <summary>Computes the outputs of <paramref name="batch"/> samples; the returned buffer is owned by the op.</summary>
    public abstract T[] Forward(T[] input, int batch, bool training);

    /// <summary>
    /// Given the gradient with respect to the last forward's outputs (which it may overwrite),
    /// stores the parameters' gradients and returns the gradient with respect to the inputs.
    /// </summary>
    public abstract T[] Backward(T[] outputGradient, int batch);

    protected static TValue[] Ensure<TValue>(ref TValue[]? buffer, long size)
    {
        if (buffer is null || buffer.LongLength < size)
        {
            buffer = new TValue[size];
        }

        return buffer;
    }
}
