using System.Numerics;

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
                for (var kh = 0; kh < g.KernelHeight; kh++)
                {
                    var ih = (oh * g.StrideHeight) - g.PadTop + kh;
                    var dst = row.Slice(kh * runPerKh, runPerKh);
                    if (ih < 0 || ih >= g.Height || kwHi <= kwLo)
                    {
                        dst.Clear();
                        continue;
                    }

                    dst[..(kwLo * g.Channels)].Clear();
                    dst[(kwHi * g.Channels)..].Clear();
                    Copy(input.Slice(((ih * g.Width) + iw0 + kwLo) * g.Channels, (kwHi - kwLo) * g.Channels), dst[(kwLo * g.Channels)..]);
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

    private static void Copy<T>(ReadOnlySpan<T> source, Span<T> destination)
    {
        if (source.Length < ShortRun)
        {
            for (var i = 0; i < source.Length; i++)
            {
                destination[i] = source[i];
            }
        }
        else
        {
            source.CopyTo(destination);
        }
    }
}
