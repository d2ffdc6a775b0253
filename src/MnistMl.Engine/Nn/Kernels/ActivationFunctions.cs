using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// Forward and backward passes of the activations. Backward passes use only the activation's
/// output <c>a</c>, so layers keep one buffer: relu' = [a &gt; 0], elu' = a + 1 for a &lt; 0,
/// sigmoid' = a(1 − a), tanh' = 1 − a².
/// </summary>
internal static class ActivationFunctions
{
    /// <summary>Replaces <paramref name="values"/> (rows × width) by the activation of it.</summary>
    public static void Forward<T>(Activation activation, Span<T> values, int width, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Linear:
                break;
            case Activation.Relu:
                TensorPrimitives.Max(values, T.Zero, values);
                break;
            case Activation.Elu:
                var negative = scratch[..values.Length];
                TensorPrimitives.Min(values, T.Zero, negative);
                TensorPrimitives.Exp(negative, negative);
                SelectPositive(values, negative);

                break;
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(values, values);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(values, values);
                break;
            case Activation.Softmax:
                for (var row = 0; row < values.Length; row += width)
                {
                    SoftmaxRow(values.Slice(row, width));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>
    /// Turns the gradient with respect to the activation's output into the gradient with respect
    /// to its input, in place, given the outputs <paramref name="outputs"/>.
    /// </summary>
    public static void Backward<T>(Activation activation, ReadOnlySpan<T> outputs, Span<T> gradient, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Linear:
                break;
            case Activation.Relu:
            case Activation.Elu:
                RectifiedBackward(activation == Activation.Elu, outputs, gradient);
                break;
            case Activation.Sigmoid:
                for (var i = 0; i < gradient.Length; i++)
                {
                    gradient[i] *= outputs[i] * (T.One - outputs[i]);
                }

                break;
            case Activation.Tanh:
                for (var i = 0; i < gradient.Length; i++)
                {
                    gradient[i] *= T.One - (outputs[i] * outputs[i]);
                }

                break;
            case Activation.Softmax:
                for (var row = 0; row < gradient.Length; row += width)
                {
                    var a = outputs.Slice(row, width);
                    var g = gradient.Slice(row, width);
                    var dot = T.Zero;
                    for (var j = 0; j < width; j++)
                    {
                        dot += a[j] * g[j];
                    }

                    for (var j = 0; j < width; j++)
                    {
                        g[j] = a[j] * (g[j] - dot);
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary><c>values[i] = values[i] &gt; 0 ? values[i] : exponentials[i] − 1</c> (elu from exp(min(z, 0))).</summary>
    private static void SelectPositive<T>(Span<T> values, ReadOnlySpan<T> exponentials)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var vectors = values.Length - (values.Length % Vector256<T>.Count);
        ref var v = ref MemoryMarshal.GetReference(values);
        ref var e = ref MemoryMarshal.GetReference(exponentials);
        for (var i = 0; i < vectors; i += Vector256<T>.Count)
        {
            var z = Vector256.LoadUnsafe(ref v, (nuint)i);
            // At most zero: the vectorised exponential gives 1 + ulp for negative inputs above −1.6e-8.
            var below = Vector256.Min(Vector256.LoadUnsafe(ref e, (nuint)i) - Vector256<T>.One, Vector256<T>.Zero);
            Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<T>.Zero), z, below).StoreUnsafe(ref v, (nuint)i);
        }

        for (var i = vectors; i < values.Length; i++)
        {
            if (!(values[i] > T.Zero))
            {
                values[i] = T.Min(exponentials[i] - T.One, T.Zero);
            }
        }
    }

    /// <summary>
    /// relu' = [a &gt; 0]; elu' = 1 for a &gt; 0, else a + 1. Vectors of lanes, then the tail, with
    /// the same comparison (NaN counts as not positive in both).
    /// </summary>
    /// <summary>
    /// <see cref="Backward{T}"/> for outputs known to get no gradient except a few: writes
    /// <c>gradient[j] · activation'(outputs[j])</c> at <c>target[positions[j]]</c>, with the same
    /// arithmetic as the dense pass (for a convolution whose max pooling picked those positions;
    /// the rest of <paramref name="target"/> stays as it is). Not for softmax, whose gradient
    /// mixes a whole row.
    /// </summary>
    public static void BackwardScattered<T>(Activation activation, ReadOnlySpan<T> outputs, ReadOnlySpan<T> gradient, ReadOnlySpan<int> positions, Span<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Linear:
                for (var j = 0; j < outputs.Length; j++)
                {
                    target[positions[j]] = gradient[j];
                }

                break;
            case Activation.Relu:
                for (var j = 0; j < outputs.Length; j++)
                {
                    target[positions[j]] = outputs[j] > T.Zero ? gradient[j] : T.Zero;
                }

                break;
            case Activation.Elu:
                for (var j = 0; j < outputs.Length; j++)
                {
                    target[positions[j]] = outputs[j] > T.Zero ? gradient[j] : gradient[j] * (outputs[j] + T.One);
                }

                break;
            case Activation.Sigmoid:
                for (var j = 0; j < outputs.Length; j++)
                {
                    target[positions[j]] = gradient[j] * (outputs[j] * (T.One - outputs[j]));
                }

                break;
            case Activation.Tanh:
                for (var j = 0; j < outputs.Length; j++)
                {
                    target[positions[j]] = gradient[j] * (T.One - (outputs[j] * outputs[j]));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Only element-wise activations have a per-value gradient.");
        }
    }

    private static void RectifiedBackward<T>(bool elu, ReadOnlySpan<T> outputs, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var vectors = gradient.Length - (gradient.Length % Vector256<T>.Count);
        ref var a = ref MemoryMarshal.GetReference(outputs);
        ref var g = ref MemoryMarshal.GetReference(gradient);
        for (var i = 0; i < vectors; i += Vector256<T>.Count)
        {
            var output = Vector256.LoadUnsafe(ref a, (nuint)i);
            var incoming = Vector256.LoadUnsafe(ref g, (nuint)i);
            var positive = Vector256.GreaterThan(output, Vector256<T>.Zero);
            var otherwise = elu ? incoming * (output + Vector256<T>.One) : Vector256<T>.Zero;
            Vector256.ConditionalSelect(positive, incoming, otherwise).StoreUnsafe(ref g, (nuint)i);
        }

        for (var i = vectors; i < gradient.Length; i++)
        {
            if (!(outputs[i] > T.Zero))
            {
                gradient[i] = elu ? gradient[i] * (outputs[i] + T.One) : T.Zero;
            }
        }
    }

    /// <summary>Numerically stable softmax of one row, summed in index order.</summary>
    public static void SoftmaxRow<T>(Span<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = row[0];
        for (var j = 1; j < row.Length; j++)
        {
            max = T.MaxNumber(max, row[j]);
        }

        var sum = T.Zero;
        for (var j = 0; j < row.Length; j++)
        {
            row[j] = T.Exp(row[j] - max);
            sum += row[j];
        }

        var inverse = T.One / sum;
        for (var j = 0; j < row.Length; j++)
        {
            row[j] *= inverse;
        }
    }
}
