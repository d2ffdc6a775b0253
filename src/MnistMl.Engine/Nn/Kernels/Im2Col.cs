using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// Unfolds one NHWC sample into rows of patches (one row per output pixel, <c>KH·KW·C</c> long) and
/// folds gradients back. In NHWC the kw-run of one patch row is contiguous in the input, so both
/// directions move whole runs of <c>KW·C</c> values.
/// </summary>
internal static class Im2Col
{
    public static void Unfold<T>(in ConvGeometry g, ReadOnlySpan<T> input, Span<T> columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (input.Length < g.InputSize || columns.Length < g.OutputPixels * g.PatchSize)
        {
            throw new ArgumentException("Buffers too small for the convolution's geometry.");
        }

        var patch = g.PatchSize;
        var runPerKh = g.KernelWidth * g.Channels;
        ref var source = ref MemoryMarshal.GetReference(input);
        ref var destination = ref MemoryMarshal.GetReference(columns);
        for (var oh = 0; oh < g.OutputHeight; oh++)
        {
            var ih0 = (oh * g.StrideHeight) - g.PadTop;
            var rowsInside = ih0 >= 0 && ih0 + g.KernelHeight <= g.Height;
            for (var ow = 0; ow < g.OutputWidth; ow++)
            {
                var rowStart = ((oh * g.OutputWidth) + ow) * patch;
                var iw0 = (ow * g.StrideWidth) - g.PadLeft;
                if (rowsInside && iw0 >= 0 && iw0 + g.KernelWidth <= g.Width)
                {
                    // The whole window is inside the input (every pixel of a 'valid' convolution):
                    // KH runs of KW·C values, copied without slicing (a 1-channel 3×3 window moves
                    // runs of 3, where the bookkeeping of a slice costs more than the copy).
                    for (var kh = 0; kh < g.KernelHeight; kh++)
                    {
                        var from = (((ih0 + kh) * g.Width) + iw0) * g.Channels;
                        var to = rowStart + (kh * runPerKh);
                        CopyRun(ref source, from, input.Length, ref destination, to, columns.Length, runPerKh);
                    }

                    continue;
                }

                var row = columns.Slice(rowStart, patch);
                var kwLo = Math.Max(0, -iw0);
                var kwHi = Math.Min(g.KernelWidth, g.Width - iw0);
                for (var kh = 0; kh < g.KernelHeight; kh++)
                {
                    var ih = ih0 + kh;
                    var dst = row.Slice(kh * runPerKh, runPerKh);
                    if (ih < 0 || ih >= g.Height || kwHi <= kwLo)
                    {
                        dst.Clear();
                        continue;
                    }

                    dst[..(kwLo * g.Channels)].Clear();
                    dst[(kwHi * g.Channels)..].Clear();
                    input.Slice(((ih * g.Width) + iw0 + kwLo) * g.Channels, (kwHi - kwLo) * g.Channels).CopyTo(dst[(kwLo * g.Channels)..]);
                }
            }
        }
    }

    /// <summary>Adds patch-row gradients back onto the input positions they came from; overwrites <paramref name="input"/>.</summary>
    public static void Fold<T>(in ConvGeometry g, ReadOnlySpan<T> columns, Span<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        input.Clear();
        var patch = g.PatchSize;
        var runPerKh = g.KernelWidth * g.Channels;
        for (var oh = 0; oh < g.OutputHeight; oh++)
        {
            for (var ow = 0; ow < g.OutputWidth; ow++)
            {
                var row = columns.Slice(((oh * g.OutputWidth) + ow) * patch, patch);
                var iw0 = (ow * g.StrideWidth) - g.PadLeft;
                var kwLo = Math.Max(0, -iw0);
                var kwHi = Math.Min(g.KernelWidth, g.Width - iw0);
                if (kwHi <= kwLo)
                {
                    continue;
                }

                for (var kh = 0; kh < g.KernelHeight; kh++)
                {
                    var ih = (oh * g.StrideHeight) - g.PadTop + kh;
                    if (ih < 0 || ih >= g.Height)
                    {
                        continue;
                    }

                    var src = row.Slice((kh * runPerKh) + (kwLo * g.Channels), (kwHi - kwLo) * g.Channels);
                    var dst = input.Slice(((ih * g.Width) + iw0 + kwLo) * g.Channels, src.Length);
                    if (src.Length < ShortRun)
                    {
                        for (var i = 0; i < src.Length; i++)
                        {
                            dst[i] += src[i];
                        }
                    }
                    else
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Runs shorter than this are moved element by element: a single-channel 3×3 kernel moves runs
    /// of 3, where a library call costs more than the copy.
    /// </summary>
    private const int ShortRun = 16;

    /// <summary>
    /// Copies <paramref name="length"/> values from <c>source[from]</c> to <c>destination[to]</c>
    /// in whole vectors. A short run is moved as one vector when both buffers have room past it:
    /// the values it writes past the run belong to the runs after it, which unfolding writes later
    /// (runs go in increasing order), so they are overwritten with their own values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun<T>(ref T source, int from, int sourceLength, ref T destination, int to, int destinationLength, int length)
    {
        ref var src = ref Unsafe.Add(ref source, from);
        ref var dst = ref Unsafe.Add(ref destination, to);
        var room = Math.Min(sourceLength - from, destinationLength - to);
        if (length >= Vector512<T>.Count)
        {
            var i = 0;
            for (; i + Vector512<T>.Count <= length; i += Vector512<T>.Count)
            {
                Vector512.LoadUnsafe(ref src, (nuint)i).StoreUnsafe(ref dst, (nuint)i);
            }

            if (i < length)
            {
                // The last, overlapping vector: it rewrites a few values with what they already hold.
                var last = (nuint)(length - Vector512<T>.Count);
                Vector512.LoadUnsafe(ref src, last).StoreUnsafe(ref dst, last);
            }
        }
        else if (length <= Vector128<T>.Count && room >= Vector128<T>.Count)
        {
            Vector128.LoadUnsafe(ref src).StoreUnsafe(ref dst);
        }
        else if (length <= Vector256<T>.Count && room >= Vector256<T>.Count)
        {
            Vector256.LoadUnsafe(ref src).StoreUnsafe(ref dst);
        }
        else if (room >= Vector512<T>.Count)
        {
            Vector512.LoadUnsafe(ref src).StoreUnsafe(ref dst);
        }
        else
        {
            for (var i = 0; i < length; i++)
            {
                Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i);
            }
        }
    }
}
