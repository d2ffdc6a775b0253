using System.Numerics;

namespace MnistMl.Nn;

/// <summary>
/// A loss function: the mean over the batch of a per-sample loss. Use the instances on
/// <see cref="Losses"/> or construct one to set options such as <c>fromLogits</c>.
/// </summary>
public abstract class Loss
{
    /// <summary>Keras's name, e.g. <c>categorical_crossentropy</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True when the targets are class indices (one float per sample) instead of vectors.</summary>
    public virtual bool SparseTargets => false;

    /// <summary>
    /// True when, after a softmax output, the gradient with respect to the softmax's input is
    /// the simple <c>p − y</c>; the model then skips the softmax Jacobian.
    /// </summary>
    internal virtual bool FusesWithSoftmax => false;

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>
    /// Returns the sum over the batch of the per-sample losses and, when <paramref name="gradient"/>
    /// is not empty, writes the gradient of the batch mean with respect to the outputs (or to the
    /// softmax inputs when <paramref name="fusedSoftmax"/>).
    /// </summary>
    internal abstract double Compute<T>(
        ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int batch, int width, Span<T> gradient, bool fusedSoftmax)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Reads a sparse target as a class index, rejecting anything else.</summary>
    private protected static int ClassIndex<T>(T target, int width, int sample)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = double.CreateChecked(target);
        var index = (int)value;
        if (index != value || index < 0 || index >= width)
        {
            throw new ArgumentException($"Target {value} of sample {sample} is not a class index in 0–{width - 1}.");
        }

        return index;
    }
}
