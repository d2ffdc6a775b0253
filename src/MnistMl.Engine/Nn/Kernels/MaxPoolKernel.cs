using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// Max pooling of one NHWC sample: each output is the largest input of its window, per channel,
/// and <c>winners</c> records which input it was (the first one in scan order on ties, as
/// TensorFlow does) for the backward pass.
/// </summary>
/// <remarks>
/// The fast path records a winner by its position in its window, one byte (a fused convolution
/// keeps a whole batch of them: int indices were the one stream of its forward pass that the two
/// cores had to share, conv1's 2.7 MB per batch); <see cref="WinnerIndices"/> turns positions
/// into indices into the sample.
/// </remarks>
internal static class MaxPoolKernel
{
    /// <summary>Largest window whose positions a byte can name.</summary>
    public const int MaxWindowPositions = 256;

    [ThreadStatic]
    private static byte[]? _positions;

    [ThreadStatic]
    private static int[]? _indices;

    public static void Forward<T>(in ConvGeometry g, ReadOnlySpan<T> input, Span<T> output, Span<int> winners)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !Vector256.IsHardwareAccelerated || g.KernelHeight * g.KernelWidth > MaxWindowPositions)
        {
            ForwardReference(g, input, output, winners, firstChannel: 0);
            return;
        }

        var positions = ThreadBuffer(ref _positions, output.Length);
        ForwardWindowPositions(g, input, output, positions);
        WinnerIndices(g, positions, winners);
    }

    /// <summary>The pooled values alone: no backward pass will ask which inputs won (inference).</summary>
    public static void Forward<T>(in ConvGeometry g, ReadOnlySpan<T> input, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.KernelHeight * g.KernelWidth > MaxWindowPositions)
        {
            ForwardReference(g, input, output, ThreadBuffer(ref _indices, output.Length), firstChannel: 0);
            return;
        }

        ForwardWindowPositions(g, input, output, ThreadBuffer(ref _positions, output.Length));
    }

    /// <summary>
    /// As <see cref="Forward{T}(in ConvGeometry, ReadOnlySpan{T}, Span{T}, Span{int})"/>, but each winner is recorded by its position in its window:
    /// row-major from the window's corner (padding included), at most <see cref="MaxWindowPositions"/>.
    /// </summary>
    public static void ForwardWindowPositions<T>(in ConvGeometry g, ReadOnlySpan<T> input, Span<T> output, Span<byte> positions)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.KernelHeight * g.KernelWidth > MaxWindowPositions)
        {
            throw new ArgumentException($"A {g.KernelHeight}×{g.KernelWidth} window has more positions than a byte can name.", nameof(g));
        }

        var vectorChannels = 0;
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
        {
            vectorChannels = g.Channels - (g.Channels % Vector256<float>.Count);
            ForwardVectorized(g, MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(output), positions, vectorChannels);
        }

        if (vectorChannels == g.Channels)
        {
            return;
        }

        // The remaining channels (and float64) take the reference, its indices turned into positions.
        var winners = ThreadBuffer(ref _indices, output.Length);
        ForwardReference(g, input, output, winners, vectorChannels);
        var c = g.Channels;
        for (var oh = 0; oh < g.OutputHeight; oh++)
        {
            for (var ow = 0; ow < g.OutputWidth; ow++)
            {
                var (ih0, iw0) = (WindowTop(g, oh), WindowLeft(g, ow));
                var outBase = ((oh * g.OutputWidth) + ow) * c;
                for (var ch = vectorChannels; ch < c; ch++)
                {
                    var pixel = winners[outBase + ch] / c;
                    var (ih, iw) = (pixel / g.Width, pixel % g.Width);
                    positions[outBase + ch] = (byte)(((ih - ih0) * g.KernelWidth) + iw - iw0);
                }
            }
        }
    }

    /// <summary>Each winner's index into the sample's inputs, from its position in its window.</summary>
    public static unsafe void WinnerIndices(in ConvGeometry g, ReadOnlySpan<byte> positions, Span<int> indices)
    {
        var c = g.Channels;
        Span<int> offsets = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (var dy = 0; dy < g.KernelHeight; dy++)
        {
            for (var dx = 0; dx < g.KernelWidth; dx++)
            {
                offsets[(dy * g.KernelWidth) + dx] = ((dy * g.Width) + dx) * c;
            }
        }

        var vectorChannels = Avx2.IsSupported ? c - (c % Vector256<int>.Count) : 0;
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        fixed (int* offsetsPtr = offsets)
        fixed (byte* positionsPtr = positions)
        fixed (int* indicesPtr = indices)
        {
            for (var oh = 0; oh < g.OutputHeight; oh++)
            {
                for (var ow = 0; ow < g.OutputWidth; ow++)
                {
                    var corner = ((WindowTop(g, oh) * g.Width) + WindowLeft(g, ow)) * c;
                    var at = ((oh * g.OutputWidth) + ow) * c;
                    var ch = 0;
                    for (; ch < vectorChannels; ch += Vector256<int>.Count)
                    {
                        // Eight positions widened to ints, their offsets gathered from the table.
                        var position = Avx2.ConvertToVector256Int32(positionsPtr + at + ch);
                        var offset = Avx2.GatherVector256(offsetsPtr, position, 4);
                        (offset + Vector256.Create(corner + ch) + lanes).Store(indicesPtr + at + ch);
                    }

                    for (; ch < c; ch++)
                    {
                        indicesPtr[at + ch] = corner + offsetsPtr[positionsPtr[at + ch]] + ch;
                    }
                }
            }
        }
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

    /// <summary>Eight channels at a time, channels [0, <paramref name="vectorChannels"/>).</summary>
    private static void ForwardVectorized(in ConvGeometry g, ReadOnlySpan<float> input, Span<float> output, Span<byte> positions, int vectorChannels)
    {
        var c = g.Channels;
        var width = Vector256<float>.Count;
        ref var inputRef = ref MemoryMarshal.GetReference(input);
        ref var positionsRef = ref MemoryMarshal.GetReference(positions);
        for (var oh = 0; oh < g.OutputHeight; oh++)
        {
            for (var ow = 0; ow < g.OutputWidth; ow++)
            {
                var (ihLo, ihHi, iwLo, iwHi) = Window(g, oh, ow);
                var (ih0, iw0) = (WindowTop(g, oh), WindowLeft(g, ow));
                var outBase = ((oh * g.OutputWidth) + ow) * c;
                for (var ch = 0; ch < vectorChannels; ch += width)
                {
                    var best = Vector256.LoadUnsafe(ref inputRef, (nuint)(((ihLo * g.Width) + iwLo) * c + ch));
                    var bestPosition = Vector256.Create(((ihLo - ih0) * g.KernelWidth) + iwLo - iw0);
                    for (var ih = ihLo; ih < ihHi; ih++)
                    {
                        for (var iw = iwLo; iw < iwHi; iw++)
                        {
                            var value = Vector256.LoadUnsafe(ref inputRef, (nuint)(((ih * g.Width) + iw) * c + ch));
                            var greater = Vector256.GreaterThan(value, best);
                            best = Vector256.ConditionalSelect(greater, value, best);
                            bestPosition = Vector256.ConditionalSelect(greater.AsInt32(), Vector256.Create(((ih - ih0) * g.KernelWidth) + iw - iw0), bestPosition);
                        }
                    }

                    best.StoreUnsafe(ref MemoryMarshal.GetReference(output), (nuint)(outBase + ch));
                    // Eight ints to eight bytes with 128-bit narrowing (64-bit vectors are not accelerated on x64).
                    var shorts = Vector128.Narrow(bestPosition.GetLower(), bestPosition.GetUpper());
                    var bytes = Vector128.Narrow(shorts, shorts).AsUInt64().ToScalar();
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref positionsRef, outBase + ch), bytes);
                }
            }
        }
    }

    private static Span<TValue> ThreadBuffer<TValue>(ref TValue[]? buffer, int size)
    {
        if (buffer is null || buffer.Length < size)
        {
            buffer = new TValue[size];
        }

        return buffer.AsSpan(0, size);
    }

    private static int WindowTop(in ConvGeometry g, int oh) => (oh * g.StrideHeight) - g.PadTop;

    private static int WindowLeft(in ConvGeometry g, int ow) => (ow * g.StrideWidth) - g.PadLeft;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int IhLo, int IhHi, int IwLo, int IwHi) Window(in ConvGeometry g, int oh, int ow)
    {
        var ih0 = WindowTop(g, oh);
        var iw0 = WindowLeft(g, ow);
        return (Math.Max(0, ih0), Math.Min(g.Height, ih0 + g.KernelHeight), Math.Max(0, iw0), Math.Min(g.Width, iw0 + g.KernelWidth));
    }
}
