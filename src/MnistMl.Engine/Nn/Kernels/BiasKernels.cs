using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistMl.Nn.Kernels;

/// <summary>Per-channel bias: added to every row forward, summed over rows backward.</summary>
internal static class BiasKernels
{
    /// <summary>
    /// <c>values[r, j] += bias[j]</c> for each row of width <c>bias.Length</c>, and, for relu,
    /// <c>max(·, 0)</c> in the same pass (one trip through memory instead of two).
    /// </summary>
    public static void Add<T>(Span<T> values, ReadOnlySpan<T> bias, bool relu = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = bias.Length;
        var vectors = width - (width % Vector256<T>.Count);
        ref var b = ref MemoryMarshal.GetReference(bias);
        for (var row = 0; row < values.Length; row += width)
        {
            ref var v = ref MemoryMarshal.GetReference(values.Slice(row, width));
            for (var j = 0; j < vectors; j += Vector256<T>.Count)
            {
                var sum = Vector256.LoadUnsafe(ref v, (nuint)j) + Vector256.LoadUnsafe(ref b, (nuint)j);
                if (relu)
                {
                    sum = Vector256.Max(sum, Vector256<T>.Zero);
                }

                sum.StoreUnsafe(ref v, (nuint)j);
            }

            for (var j = vectors; j < width; j++)
            {
                var sum = Unsafe(ref v, j) + bias[j];
                Unsafe(ref v, j) = relu ? T.Max(sum, T.Zero) : sum;
            }
        }
    }

    /// <summary><c>gradient[j] = Σ_r values[r, j]</c>, rows summed in order (deterministic).</summary>
    public static void SumRows<T>(ReadOnlySpan<T> values, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        gradient.Clear();
        var width = gradient.Length;
        var vectors = width - (width % Vector256<T>.Count);
        ref var g = ref MemoryMarshal.GetReference(gradient);
        for (var row = 0; row < values.Length; row += width)
        {
            ref var v = ref MemoryMarshal.GetReference(values.Slice(row, width));
            for (var j = 0; j < vectors; j += Vector256<T>.Count)
            {
                (Vector256.LoadUnsafe(ref g, (nuint)j) + Vector256.LoadUnsafe(ref v, (nuint)j)).StoreUnsafe(ref g, (nuint)j);
            }

            for (var j = vectors; j < width; j++)
            {
                gradient[j] += Unsafe(ref v, j);
            }
        }
    }

    private static ref T Unsafe<T>(ref T start, int index) => ref System.Runtime.CompilerServices.Unsafe.Add(ref start, index);
}
