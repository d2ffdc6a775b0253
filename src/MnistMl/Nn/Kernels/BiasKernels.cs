using System.Numerics;
using System.Numerics.Tensors;

namespace MnistMl.Nn.Kernels;

/// <summary>Per-channel bias: added to every row forward, summed over rows backward.</summary>
internal static class BiasKernels
{
    /// <summary><c>values[r, j] += bias[j]</c> for each of the rows of width <c>bias.Length</c>.</summary>
    public static void Add<T>(Span<T> values, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var row = 0; row < values.Length; row += bias.Length)
        {
            var slice = values.Slice(row, bias.Length);
            TensorPrimitives.Add(slice, bias, slice);
        }
    }

    /// <summary><c>gradient[j] = Σ_r values[r, j]</c>, rows summed in order (deterministic).</summary>
    public static void SumRows<T>(ReadOnlySpan<T> values, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        gradient.Clear();
        for (var row = 0; row < values.Length; row += gradient.Length)
        {
            TensorPrimitives.Add(gradient, values.Slice(row, gradient.Length), gradient);
        }
    }
}
