using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// Fills a dropout mask from counter-based random bits: element <c>i</c> is dropped (0) when its
/// 32-bit half of <see cref="RandomSource.Hash"/>(key, firstWord + i/2) is below the threshold,
/// else kept and scaled. The vector path hashes eight words at a time and yields the same mask.
/// </summary>
internal static class DropoutMask
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    public static void Fill<T>(Span<T> mask, ulong key, ulong firstWord, uint threshold, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var done = 0;
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated)
        {
            done = FillVectorized(MemoryMarshal.Cast<T, float>(mask), key, firstWord, threshold, float.CreateTruncating(scale));
        }

        FillReference(mask[done..], key, firstWord + (ulong)(done / 2), threshold, scale);
    }

    /// <summary>One element at a time: the reference the vector path is tested against.</summary>
    public static void FillReference<T>(Span<T> mask, ulong key, ulong firstWord, uint threshold, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < mask.Length; i += 2)
        {
            var bits = RandomSource.Hash(key, firstWord + (ulong)(i / 2));
            mask[i] = (uint)bits < threshold ? T.Zero : scale;
            if (i + 1 < mask.Length)
            {
                mask[i + 1] = (uint)(bits >> 32) < threshold ? T.Zero : scale;
            }
        }
    }

    /// <summary>Whole vectors of sixteen elements (eight 64-bit words); returns how many it filled.</summary>
    private static int FillVectorized(Span<float> mask, ulong key, ulong firstWord, uint threshold, float scale)
    {
        var lanes = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
        var keys = Vector512.Create(key);
        var thresholds = Vector512.Create(threshold);
        var scales = Vector512.Create(scale);
        ref var start = ref MemoryMarshal.GetReference(mask);
        var i = 0;
        for (; i + Vector512<float>.Count <= mask.Length; i += Vector512<float>.Count)
        {
            var counters = Vector512.Create(firstWord + (ulong)(i / 2)) + lanes;
            var x = keys ^ (counters * Golden);
            var bits = Mix(Mix(x + Vector512.Create(Golden)) + Vector512.Create(Golden));

            // Each word's low half is element 2w and its high half element 2w + 1, as in the reference.
            var dropped = Vector512.LessThan(bits.AsUInt32(), thresholds).AsSingle();
            Vector512.ConditionalSelect(dropped, Vector512<float>.Zero, scales).StoreUnsafe(ref start, (nuint)i);
        }

        return i;
    }

    /// <summary>SplitMix64's finaliser, lane by lane.</summary>
    private static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * 0x94D049BB133111EBUL;
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }
}
