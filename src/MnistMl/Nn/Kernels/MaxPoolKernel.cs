using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// Max pooling of one NHWC sample: each output is the largest input of its window, per channel,
/// and <c>winners</c> records which input it was (the first one in scan order on ties, as
/// TensorFlow does) for the backward pass.
/// </summary>
internal static class MaxPoolKernel
{
    public static void Forward<T>(in ConvGeometry g, ReadOnlySpan<T> input, Span<T> output, Span<int> winners)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
        {
            ForwardVectorized(g, MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(output), winners);
            return;
        }

        ForwardReference(g, input, output, winners, firstChannel: 0);
    }

    /// <summary>Plain loops, kept as the reference for the vectorised path and used for float64.</summary>
    public static void ForwardReference<T>(in ConvGeometry g, ReadOnlySpan<T> input, Span<T> output, Span<int> winners, int firstChannel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = g.Channels;
        for (var oh = 0; oh < g.OutputHeight; oh++)
        {
            for (var ow = 0; ow < g.OutputWidth; ow++)
            {
                var (ihLo, ihHi, iwLo, iwHi) = Window(g, oh, ow);
                var outBase = ((oh * g.OutputWidth) + ow) * c;
                for (var ch = firstChannel; ch < c; ch++)
                {
                    var best = ((ihLo * g.Width) + iwLo) * c + ch;
                    for (var ih = ihLo; ih < ihHi; ih++)
                    {
                        for (var iw = iwLo; iw < iwHi; iw++)
                        {
                            var at = ((ih * g.Width) + iw) * c + ch;
                            if (input[at] > input[best])
                            {
                                best = at;
                            }
                        }
                    }

                    output[outBase + ch] = input[best];
                    winners[outBase + ch] = best;
                }
            }
        }
    }

    /// <summary>Eight channels at a time; the channels past the last multiple of eight take the reference path.</summary>
    private static void ForwardVectorized(in ConvGeometry g, ReadOnlySpan<float> input, Span<float> output, Span<int> winners)
    {
        var c = g.Channels;
        var width = Vector256<float>.Count;
        var vectorChannels = c - (c % width);
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        ref var inputRef = ref MemoryMarshal.GetReference(input);
        for (var oh = 0; oh < g.OutputHeight; oh++)
        {
            for (var ow = 0; ow < g.OutputWidth; ow++)
            {
                var (ihLo, ihHi, iwLo, iwHi) = Window(g, oh, ow);
                var outBase = ((oh * g.OutputWidth) + ow) * c;
                for (var ch = 0; ch < vectorChannels; ch += width)
                {
                    var first = ((ihLo * g.Width) + iwLo) * c + ch;
                    var best = Vector256.LoadUnsafe(ref inputRef, (nuint)first);
                    var bestIndex = Vector256.Create(first) + lanes;
                    for (var ih = ihLo; ih < ihHi; ih++)
                    {
                        for (var iw = iwLo; iw < iwHi; iw++)
                        {
                            var at = ((ih * g.Width) + iw) * c + ch;
                            var value = Vector256.LoadUnsafe(ref inputRef, (nuint)at);
                            var greater = Vector256.GreaterThan(value, best);
                            best = Vector256.ConditionalSelect(greater, value, best);
                            bestIndex = Vector256.ConditionalSelect(greater.AsInt32(), Vector256.Create(at) + lanes, bestIndex);
                        }
                    }

                    best.StoreUnsafe(ref MemoryMarshal.GetReference(output), (nuint)(outBase + ch));
                    bestIndex.StoreUnsafe(ref MemoryMarshal.GetReference(winners), (nuint)(outBase + ch));
                }
            }
        }

        if (vectorChannels < c)
        {
            ForwardReference(g, input, output, winners, vectorChannels);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int IhLo, int IhHi, int IwLo, int IwHi) Window(in ConvGeometry g, int oh, int ow)
    {
        var ih0 = (oh * g.StrideHeight) - g.PadTop;
        var iw0 = (ow * g.StrideWidth) - g.PadLeft;
        return (Math.Max(0, ih0), Math.Min(g.Height, ih0 + g.KernelHeight), Math.Max(0, iw0), Math.Min(g.Width, iw0 + g.KernelWidth));
    }
}
