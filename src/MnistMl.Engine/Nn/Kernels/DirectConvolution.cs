using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// Convolution of one sample straight from its pixels, for inputs of few channels (a grey or
/// colour image: cnn's first layer has 1). Through im2col and a product, such a layer multiplies
/// a patch matrix only 9 values wide, and unfolding it costs more than the arithmetic; here each
/// output pixel's filters are summed in registers from the input, eight pixels at a time so that
/// eight independent multiply-add chains keep the FMA units busy.
/// </summary>
/// <remarks>
/// Every output sums its taps in patch order (kernel row, kernel column, channel) from zero with
/// fused multiply-adds, as the product of the patch matrix does, so results are bit-identical to
/// <see cref="Im2Col"/> followed by <see cref="Gemm"/>: the choice of path never changes a number.
/// 'same' padding reads a zero-bordered copy of the sample, the zeros the patch matrix would hold.
/// The product sums K in blocks of at most <see cref="Gemm.KBlock"/>: kernels of more taps than that
/// are not for this path (its callers check), which also bounds the tap table on the stack.
/// </remarks>
internal static class DirectConvolution
{
    /// <summary>Pixels per register block: eight chains cover the FMA latency at two per cycle.</summary>
    private const int PixelsPerBlock = 8;

    /// <summary>Values of the zero-bordered copy of one sample (0 when there is no padding).</summary>
    public static int PaddedSize(ConvGeometry g) =>
        g.PadTop == 0 && g.PadLeft == 0 && !NeedsBottomRightPadding(g) ? 0 : PaddedHeight(g) * PaddedWidth(g) * g.Channels;

    /// <summary>
    /// <paramref name="output"/> (OH·OW × filters) = the convolution of <paramref name="sample"/>
    /// (H·W·C) with <paramref name="kernel"/> (KH·KW·C × filters); plus <paramref name="bias"/> and,
    /// with <paramref name="relu"/>, relu, when a bias is given (the same bits as adding them after).
    /// </summary>
    /// <remarks><paramref name="padded"/> has room for <see cref="PaddedSize"/> values; it is unused without padding.</remarks>
    public static unsafe void Forward<T>(ConvGeometry g, int filters, ReadOnlySpan<T> sample, ReadOnlySpan<T> kernel, Span<T> output, Span<T> padded, ReadOnlySpan<T> bias = default, bool relu = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var source = Source(g, sample, padded, out var width);

        fixed (T* input = source, weights = kernel, result = output, shift = bias)
        {
            ByWidth(new Frame<T>(g, filters, input, width, weights, result), pool: null, shift, relu);
        }
    }

    /// <summary>
    /// Whether <see cref="ForwardPooled{T}"/> can pool this convolution's outputs: 2×2 windows with
    /// stride 2 that lie inside the outputs (the notebooks' <c>MaxPooling2D(2)</c>).
    /// </summary>
    public static bool CanPool(ConvGeometry conv, int filters, ConvGeometry pool) =>
        pool is { KernelHeight: 2, KernelWidth: 2, StrideHeight: 2, StrideWidth: 2, PadTop: 0, PadLeft: 0 } &&
        pool.Height == conv.OutputHeight && pool.Width == conv.OutputWidth && pool.Channels == filters &&
        2 * pool.OutputHeight <= pool.Height && 2 * pool.OutputWidth <= pool.Width;

    /// <summary>
    /// Inference of convolution, bias, relu (or no activation) and 2×2 max pooling in one pass:
    /// <paramref name="pooled"/> (pooled pixels × filters) gets the pooled outputs, and the
    /// convolution's own outputs never leave the registers. Bit-identical to the three steps run
    /// one after the other, since adding the bias and relu never change which value is largest:
    /// <c>max(relu(aᵢ + b)) = relu(max(aᵢ) + b)</c> (rounding is monotonic). Needs <see cref="CanPool"/>.
    /// </summary>
    public static unsafe void ForwardPooled<T>(
        ConvGeometry g, int filters, ReadOnlySpan<T> sample, ReadOnlySpan<T> kernel, ReadOnlySpan<T> bias, bool relu, ConvGeometry pool, Span<T> pooled, Span<T> padded)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var source = Source(g, sample, padded, out var width);

        fixed (T* input = source, weights = kernel, result = pooled, shift = bias)
        {
            ByWidth(new Frame<T>(g, filters, input, width, weights, result), pool, shift, relu);
        }
    }

    /// <summary>
    /// The filters in the widest vectors the hardware runs natively, the last few one by one;
    /// into pooled outputs when <paramref name="pool"/> is given.
    /// </summary>
    private static unsafe void ByWidth<T>(Frame<T> frame, ConvGeometry? pool, T* bias, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var filters = frame.Filters;
        var vectorEnd = 0;
        if (Vector512.IsHardwareAccelerated && !Gemm.NarrowVectorsOnly)
        {
            vectorEnd = filters - (filters % Vector512<T>.Count);
            Columns<T, Width512<T>, Vector512<T>>(frame, pool, bias, relu, 0, vectorEnd);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            vectorEnd = filters - (filters % Vector256<T>.Count);
            Columns<T, Width256<T>, Vector256<T>>(frame, pool, bias, relu, 0, vectorEnd);
        }

        Columns<T, Width1<T>, T>(frame, pool, bias, relu, vectorEnd, filters);
    }

    private static unsafe void Columns<T, TWidth, TVector>(Frame<T> frame, ConvGeometry? pool, T* bias, bool relu, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : IVectorWidth<T, TVector>
        where TVector : struct
    {
        if (first >= end)
        {
            return;
        }

        if (pool is { } windows)
        {
            PooledFilters<T, TWidth, TVector>(frame, windows, bias, relu, first, end);
        }
        else
        {
            Filters<T, TWidth, TVector>(frame, bias, relu, first, end);
        }
    }

    /// <summary>The sample itself, or, with padding, its zero-bordered copy in <paramref name="padded"/>; <paramref name="width"/> gets its row length in pixels.</summary>
    private static ReadOnlySpan<T> Source<T>(ConvGeometry g, ReadOnlySpan<T> sample, Span<T> padded, out int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (PaddedSize(g) == 0)
        {
            width = g.Width;
            return sample;
        }

        Pad(g, sample, padded);
        width = PaddedWidth(g);
        return padded[..PaddedSize(g)];
    }

    private static bool NeedsBottomRightPadding(ConvGeometry g) =>
        ((g.OutputHeight - 1) * g.StrideHeight) + g.KernelHeight > g.Height + g.PadTop ||
        ((g.OutputWidth - 1) * g.StrideWidth) + g.KernelWidth > g.Width + g.PadLeft;

    private static int PaddedHeight(ConvGeometry g) => Math.Max(g.Height + g.PadTop, ((g.OutputHeight - 1) * g.StrideHeight) + g.KernelHeight);

    private static int PaddedWidth(ConvGeometry g) => Math.Max(g.Width + g.PadLeft, ((g.OutputWidth - 1) * g.StrideWidth) + g.KernelWidth);

    private static void Pad<T>(ConvGeometry g, ReadOnlySpan<T> sample, Span<T> padded)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rowValues = g.Width * g.Channels;
        var paddedRow = PaddedWidth(g) * g.Channels;
        padded[..PaddedSize(g)].Clear();
        for (var y = 0; y < g.Height; y++)
        {
            sample.Slice(y * rowValues, rowValues).CopyTo(padded.Slice(((y + g.PadTop) * paddedRow) + (g.PadLeft * g.Channels), rowValues));
        }
    }

    /// <summary>Filters [<paramref name="first"/>, <paramref name="end"/>) of every output pixel, one vector of filters at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Filters<T, TWidth, TVector>(Frame<T> f, T* bias, bool relu, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : IVectorWidth<T, TVector>
        where TVector : struct
    {
        var g = f.Geometry;
        var pixels = g.OutputPixels;
        var taps = g.KernelHeight * g.KernelWidth * g.Channels;
        var tapOffsets = stackalloc nint[taps];
        TapOffsets(g, f.InputWidth, tapOffsets);
        var offsets = new PixelOffsets<T>(f, pixels);
        for (var f0 = first; f0 + TWidth.Count <= end; f0 += TWidth.Count)
        {
            var p = 0;
            for (; p + PixelsPerBlock <= pixels; p += PixelsPerBlock)
            {
                Sum8<T, TWidth, TVector>(f, tapOffsets, taps, offsets.At(p), f.Kernel + f0, out var a0, out var a1, out var a2, out var a3, out var a4, out var a5, out var a6, out var a7);
                if (bias is not null)
                {
                    var shift = TWidth.Load(bias + f0);
                    (a0, a1, a2, a3) = (Finish<T, TWidth, TVector>(a0, shift, relu), Finish<T, TWidth, TVector>(a1, shift, relu), Finish<T, TWidth, TVector>(a2, shift, relu), Finish<T, TWidth, TVector>(a3, shift, relu));
                    (a4, a5, a6, a7) = (Finish<T, TWidth, TVector>(a4, shift, relu), Finish<T, TWidth, TVector>(a5, shift, relu), Finish<T, TWidth, TVector>(a6, shift, relu), Finish<T, TWidth, TVector>(a7, shift, relu));
                }

                var out0 = f.Output + ((nint)p * f.Filters) + f0;
                TWidth.Store(a0, out0);
                TWidth.Store(a1, out0 + f.Filters);
                TWidth.Store(a2, out0 + (2 * f.Filters));
                TWidth.Store(a3, out0 + (3 * f.Filters));
                TWidth.Store(a4, out0 + (4 * f.Filters));
                TWidth.Store(a5, out0 + (5 * f.Filters));
                TWidth.Store(a6, out0 + (6 * f.Filters));
                TWidth.Store(a7, out0 + (7 * f.Filters));
            }

            for (; p < pixels; p++)
            {
                var a = Sum1<T, TWidth, TVector>(f, tapOffsets, taps, *offsets.At(p), f.Kernel + f0);
                TWidth.Store(bias is null ? a : Finish<T, TWidth, TVector>(a, TWidth.Load(bias + f0), relu), f.Output + ((nint)p * f.Filters) + f0);
            }
        }
    }

    /// <summary>Filters [<paramref name="first"/>, <paramref name="end"/>) of every pooled pixel: two pooled pixels (eight outputs) at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PooledFilters<T, TWidth, TVector>(Frame<T> f, ConvGeometry pool, T* bias, bool relu, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : IVectorWidth<T, TVector>
        where TVector : struct
    {
        var g = f.Geometry;
        var taps = g.KernelHeight * g.KernelWidth * g.Channels;
        var tapOffsets = stackalloc nint[taps];
        TapOffsets(g, f.InputWidth, tapOffsets);
        var pooledPixels = pool.OutputPixels;
        var offsets = new PixelOffsets<T>(f, pool, pooledPixels);
        for (var f0 = first; f0 + TWidth.Count <= end; f0 += TWidth.Count)
        {
            var shift = TWidth.Load(bias + f0);
            var w = f.Kernel + f0;
            var q = 0;
            for (; q + 2 <= pooledPixels; q += 2)
            {
                Sum8<T, TWidth, TVector>(f, tapOffsets, taps, offsets.At(4 * q), w, out var a0, out var a1, out var a2, out var a3, out var a4, out var a5, out var a6, out var a7);
                var out0 = f.Output + ((nint)q * f.Filters) + f0;
                TWidth.Store(Finish<T, TWidth, TVector>(TWidth.Max(TWidth.Max(a0, a1), TWidth.Max(a2, a3)), shift, relu), out0);
                TWidth.Store(Finish<T, TWidth, TVector>(TWidth.Max(TWidth.Max(a4, a5), TWidth.Max(a6, a7)), shift, relu), out0 + f.Filters);
            }

            if (q < pooledPixels)
            {
                var windows = offsets.At(4 * q);
                var m = TWidth.Max(
                    TWidth.Max(Sum1<T, TWidth, TVector>(f, tapOffsets, taps, windows[0], w), Sum1<T, TWidth, TVector>(f, tapOffsets, taps, windows[1], w)),
                    TWidth.Max(Sum1<T, TWidth, TVector>(f, tapOffsets, taps, windows[2], w), Sum1<T, TWidth, TVector>(f, tapOffsets, taps, windows[3], w)));
                TWidth.Store(Finish<T, TWidth, TVector>(m, shift, relu), f.Output + ((nint)q * f.Filters) + f0);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Finish<T, TWidth, TVector>(TVector largest, TVector bias, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : IVectorWidth<T, TVector>
        where TVector : struct
    {
        var shifted = TWidth.Add(largest, bias);
        return relu ? TWidth.Max(shifted, default) : shifted;
    }

    /// <summary>
    /// Eight output pixels' sums for one vector of filters: eight independent chains over the taps,
    /// each from zero in patch order. <paramref name="pixelOffsets"/> gives where each pixel's window
    /// starts; <paramref name="w"/> points at the first tap's weights of the vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Sum8<T, TWidth, TVector>(
        Frame<T> f, nint* tapOffsets, int taps, nint* pixelOffsets, T* w, out TVector a0, out TVector a1, out TVector a2, out TVector a3, out TVector a4, out TVector a5, out TVector a6, out TVector a7)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : IVectorWidth<T, TVector>
        where TVector : struct
    {
        T* x0 = f.Input + pixelOffsets[0], x1 = f.Input + pixelOffsets[1], x2 = f.Input + pixelOffsets[2], x3 = f.Input + pixelOffsets[3];
        T* x4 = f.Input + pixelOffsets[4], x5 = f.Input + pixelOffsets[5], x6 = f.Input + pixelOffsets[6], x7 = f.Input + pixelOffsets[7];
        a0 = default;
        a1 = default;
        a2 = default;
        a3 = default;
        a4 = default;
        a5 = default;
        a6 = default;
        a7 = default;
        for (var t = 0; t < taps; t++, w += f.Filters)
        {
            var weight = TWidth.Load(w);
            var o = tapOffsets[t];
            a0 = TWidth.MultiplyAdd(TWidth.Broadcast(x0[o]), weight, a0);
            a1 = TWidth.MultiplyAdd(TWidth.Broadcast(x1[o]), weight, a1);
            a2 = TWidth.MultiplyAdd(TWidth.Broadcast(x2[o]), weight, a2);
            a3 = TWidth.MultiplyAdd(TWidth.Broadcast(x3[o]), weight, a3);
            a4 = TWidth.MultiplyAdd(TWidth.Broadcast(x4[o]), weight, a4);
            a5 = TWidth.MultiplyAdd(TWidth.Broadcast(x5[o]), weight, a5);
            a6 = TWidth.MultiplyAdd(TWidth.Broadcast(x6[o]), weight, a6);
            a7 = TWidth.MultiplyAdd(TWidth.Broadcast(x7[o]), weight, a7);
        }
    }

    /// <summary>One output pixel's sums for one vector of filters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe TVector Sum1<T, TWidth, TVector>(Frame<T> f, nint* tapOffsets, int taps, nint pixelOffset, T* w)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : IVectorWidth<T, TVector>
        where TVector : struct
    {
        var x = f.Input + pixelOffset;
        TVector a = default;
        for (var t = 0; t < taps; t++, w += f.Filters)
        {
            a = TWidth.MultiplyAdd(TWidth.Broadcast(x[tapOffsets[t]]), TWidth.Load(w), a);
        }

        return a;
    }

    /// <summary>The offset of each tap (kernel row, column, channel) from a window's corner in the input.</summary>
    private static unsafe void TapOffsets(ConvGeometry g, int inputWidth, nint* offsets)
    {
        for (int ky = 0, t = 0; ky < g.KernelHeight; ky++)
        {
            for (var kx = 0; kx < g.KernelWidth; kx++)
            {
                for (var c = 0; c < g.Channels; c++, t++)
                {
                    offsets[t] = ((((nint)ky * inputWidth) + kx) * g.Channels) + c;
                }
            }
        }
    }

    /// <summary>What every block of the kernel needs: the geometry and the three buffers.</summary>
    private readonly unsafe struct Frame<T>(ConvGeometry geometry, int filters, T* input, int inputWidth, T* kernel, T* output)
        where T : unmanaged
    {
        public ConvGeometry Geometry { get; } = geometry;

        public int Filters { get; } = filters;

        public T* Input { get; } = input;

        /// <summary>Pixels per row of <see cref="Input"/>: the zero-bordered width when padded.</summary>
        public int InputWidth { get; } = inputWidth;

        public T* Kernel { get; } = kernel;

        public T* Output { get; } = output;
    }

    /// <summary>
    /// Where each output pixel's window starts in the input, worked out once per geometry and
    /// thread (no division per block, nor per sample): in pixel order, or, for pooling, the four
    /// outputs of each pooled pixel in window order (top left, top right, bottom left, bottom
    /// right). The offsets live in a pinned per-thread buffer, so pointers into it stay valid.
    /// </summary>
    private readonly unsafe ref struct PixelOffsets<T>
        where T : unmanaged
    {
        [ThreadStatic]
        private static nint[]? _buffer;

        /// <summary>What the buffer holds offsets for: the convolution, its input's row length and the pooling (null: none).</summary>
        [ThreadStatic]
        private static (ConvGeometry Convolution, int InputWidth, ConvGeometry? Pool)? _holds;

        private readonly nint* _offsets;

        public PixelOffsets(Frame<T> f, int pixels)
        {
            if (Reuse(f, null, pixels, out _offsets))
            {
                return;
            }

            var g = f.Geometry;
            for (int oy = 0, p = 0; oy < g.OutputHeight; oy++)
            {
                for (var ox = 0; ox < g.OutputWidth; ox++, p++)
                {
                    _offsets[p] = Corner(f, oy, ox);
                }
            }
        }

        public PixelOffsets(Frame<T> f, ConvGeometry pool, int pooledPixels)
        {
            if (Reuse(f, pool, 4 * pooledPixels, out _offsets))
            {
                return;
            }

            for (int py = 0, q = 0; py < pool.OutputHeight; py++)
            {
                for (var px = 0; px < pool.OutputWidth; px++, q++)
                {
                    _offsets[4 * q] = Corner(f, 2 * py, 2 * px);
                    _offsets[(4 * q) + 1] = Corner(f, 2 * py, (2 * px) + 1);
                    _offsets[(4 * q) + 2] = Corner(f, (2 * py) + 1, 2 * px);
                    _offsets[(4 * q) + 3] = Corner(f, (2 * py) + 1, (2 * px) + 1);
                }
            }
        }

        /// <summary>The offsets from entry <paramref name="index"/> on.</summary>
        public nint* At(int index) => _offsets + index;

        /// <summary>Points <paramref name="offsets"/> at the thread's buffer, grown to <paramref name="length"/>; true when it already holds these offsets.</summary>
        private static bool Reuse(Frame<T> f, ConvGeometry? pool, int length, out nint* offsets)
        {
            var key = (f.Geometry, f.InputWidth, pool);
            var held = _holds == key && _buffer!.Length >= length;
            if (!held)
            {
                if (_buffer is null || _buffer.Length < length)
                {
                    _buffer = GC.AllocateUninitializedArray<nint>(length, pinned: true);
                }

                _holds = key;
            }

            offsets = (nint*)Unsafe.AsPointer(ref _buffer![0]);
            return held;
        }

        private static nint Corner(Frame<T> f, int oy, int ox) =>
            (((nint)oy * f.Geometry.StrideHeight * f.InputWidth) + ((nint)ox * f.Geometry.StrideWidth)) * f.Geometry.Channels;
    }
}
