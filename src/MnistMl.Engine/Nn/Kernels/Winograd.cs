using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// The transforms of Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, 2016): a 2×2 block
/// of a 3×3 convolution's outputs from a 4×4 block of its input, with 16 multiplications per pair
/// of channels instead of 36:
/// <c>Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A</c>, where
/// <c>Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]</c>, <c>G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]</c>
/// and <c>Aᵀ = [1 1 1 0; 0 1 −1 −1]</c>.
/// </summary>
/// <remarks>
/// The 16 element-wise products, summed over input channels, are matrix products (one per position
/// ξ of the 4×4 block); these functions only move blocks into and out of that domain, a vector of
/// channels at a time. Backward runs the transposed maps: <c>dd = B dV Bᵀ</c> for the input,
/// <c>dM = A dY Aᵀ</c> for the outputs, <c>dg = Gᵀ dU G</c> for the kernel. Every value is
/// built from additions, subtractions and halvings in a fixed order, so the vector width never
/// changes a result. Position ξ = 4·row + column; plane ξ of a transformed block sits at
/// <c>ξ · planeStride</c>.
/// </remarks>
internal static unsafe class Winograd
{
    /// <summary>Positions of the 4×4 transformed block, and so products per pair of channels.</summary>
    public const int Positions = 16;

    /// <summary>
    /// <c>V = Bᵀ d B</c> for channels [0, <paramref name="channels"/>): <paramref name="d"/> holds the
    /// 16 input pixels of the block, row by row (a pixel is its channels, adjacent).
    /// </summary>
    public static void TransformInput<T>(T** d, int channels, T* v, nint planeStride)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AcrossWidths<T, InputStep<T>>(new InputStep<T>(d, channels, v, planeStride));

    /// <summary>The 2×2 outputs <c>Y = Aᵀ M A</c>: <paramref name="y"/> holds the four output pixels, row by row.</summary>
    public static void TransformOutput<T>(T* m, nint planeStride, int channels, T** y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AcrossWidths<T, OutputStep<T>>(new OutputStep<T>(m, planeStride, channels, y));

    /// <summary>The outputs' gradient in the transformed domain, <c>dM = A dY Aᵀ</c>; <paramref name="dy"/> as in <see cref="TransformOutput{T}"/>.</summary>
    public static void TransformOutputGradient<T>(T** dy, int channels, T* dm, nint planeStride)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AcrossWidths<T, OutputGradientStep<T>>(new OutputGradientStep<T>(dy, channels, dm, planeStride));

    /// <summary>Adds the input gradient <c>B dV Bᵀ</c> onto the 16 pixels of <paramref name="dd"/> (row by row).</summary>
    public static void AddInputGradient<T>(T* dv, nint planeStride, int channels, T** dd)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AcrossWidths<T, InputGradientStep<T>>(new InputGradientStep<T>(dv, planeStride, channels, dd));

    /// <summary>
    /// <c>U = G g Gᵀ</c> for every pair of channels: <paramref name="kernel"/> is (3, 3, C, F) as
    /// Keras stores it, <paramref name="u"/> is (16, C, F).
    /// </summary>
    public static void TransformKernel<T>(ReadOnlySpan<T> kernel, int channels, int filters, Span<T> u)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pairs = channels * filters;
        CheckLength(kernel.Length, 9 * pairs, nameof(kernel));
        CheckLength(u.Length, Positions * pairs, nameof(u));
        fixed (T* g = kernel, uPtr = u)
        {
            AcrossWidths<T, KernelStep<T>>(new KernelStep<T>(g, pairs, uPtr));
        }
    }

    /// <summary>The kernel gradient <c>dg = Gᵀ dU G</c>: <paramref name="du"/> is (16, C, F), <paramref name="kernelGradient"/> (3, 3, C, F).</summary>
    public static void TransformKernelGradient<T>(ReadOnlySpan<T> du, int channels, int filters, Span<T> kernelGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pairs = channels * filters;
        CheckLength(du.Length, Positions * pairs, nameof(du));
        CheckLength(kernelGradient.Length, 9 * pairs, nameof(kernelGradient));
        fixed (T* duPtr = du, dg = kernelGradient)
        {
            AcrossWidths<T, KernelGradientStep<T>>(new KernelGradientStep<T>(duPtr, pairs, dg));
        }
    }

    /// <summary>Runs a transform over its channels: 512-bit vectors where they run natively, then 256-bit ones, then one at a time.</summary>
    private static void AcrossWidths<T, TStep>(TStep step)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStep : struct, IChannelStep<T>
    {
        var c = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            c = step.From<Width512<T>, Vector512<T>>(c);
        }

        c = step.From<Width256<T>, Vector256<T>>(c);
        step.From<Width1<T>, T>(c);
    }

    private static void CheckLength(int length, int needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"Needs {needed} values, has {length}.", name);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputColumn<T, TW, TV>(T** d, int column, int c, out TV t0, out TV t1, out TV t2, out TV t3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct
    {
        var d0 = TW.Load(d[column] + c);
        var d1 = TW.Load(d[4 + column] + c);
        var d2 = TW.Load(d[8 + column] + c);
        var d3 = TW.Load(d[12 + column] + c);
        t0 = TW.Subtract(d0, d2);
        t1 = TW.Add(d1, d2);
        t2 = TW.Subtract(d2, d1);
        t3 = TW.Subtract(d1, d3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRow<T, TW, TV>(TV t0, TV t1, TV t2, TV t3, T* v, nint planeStride, int row)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct
    {
        var at = v + (4 * row * planeStride);
        TW.Store(TW.Subtract(t0, t2), at);
        TW.Store(TW.Add(t1, t2), at + planeStride);
        TW.Store(TW.Subtract(t2, t1), at + (2 * planeStride));
        TW.Store(TW.Subtract(t1, t3), at + (3 * planeStride));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputColumn<T, TW, TV>(T* m, nint planeStride, int column, out TV s0, out TV s1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct
    {
        var m0 = TW.Load(m + (column * planeStride));
        var m1 = TW.Load(m + ((4 + column) * planeStride));
        var m2 = TW.Load(m + ((8 + column) * planeStride));
        var m3 = TW.Load(m + ((12 + column) * planeStride));
        s0 = TW.Add(TW.Add(m0, m1), m2);
        s1 = TW.Subtract(TW.Subtract(m1, m2), m3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputGradientRow<T, TW, TV>(TV a, TV b, T* dm, nint planeStride, int row)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct
    {
        var at = dm + (4 * row * planeStride);
        TW.Store(a, at);
        TW.Store(TW.Add(a, b), at + planeStride);
        TW.Store(TW.Subtract(a, b), at + (2 * planeStride));
        TW.Store(TW.Subtract(TW.Broadcast(T.Zero), b), at + (3 * planeStride));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradientColumn<T, TW, TV>(T* dv, nint planeStride, int column, out TV r0, out TV r1, out TV r2, out TV r3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct
    {
        var w0 = TW.Load(dv + (column * planeStride));
        var w1 = TW.Load(dv + ((4 + column) * planeStride));
        var w2 = TW.Load(dv + ((8 + column) * planeStride));
        var w3 = TW.Load(dv + ((12 + column) * planeStride));
        r0 = w0;
        r1 = TW.Add(TW.Subtract(w1, w2), w3);
        r2 = TW.Subtract(TW.Add(w1, w2), w0);
        r3 = TW.Subtract(TW.Broadcast(T.Zero), w3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradientRow<T, TW, TV>(TV a, TV b, TV c2, TV d, T** dd, int c, int row)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct
    {
        var pixels = dd + (4 * row);
        AddTo<T, TW, TV>(pixels[0] + c, a);
        AddTo<T, TW, TV>(pixels[1] + c, TW.Add(TW.Subtract(b, c2), d));
        AddTo<T, TW, TV>(pixels[2] + c, TW.Subtract(TW.Add(b, c2), a));
        AddTo<T, TW, TV>(pixels[3] + c, TW.Subtract(TW.Broadcast(T.Zero), d));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<T, TW, TV>(T* at, TV value)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct => TW.Store(TW.Add(TW.Load(at), value), at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KernelColumn<T, TW, TV>(T* g, int pairs, int column, TV half, out TV r0, out TV r1, out TV r2, out TV r3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct =>
        KernelColumn<T, TW, TV>(
            TW.Load(g + (column * (nint)pairs)), TW.Load(g + ((3 + column) * (nint)pairs)), TW.Load(g + ((6 + column) * (nint)pairs)), half, out r0, out r1, out r2, out r3);

    /// <summary>G times the three values (a column or, transposed, a row): a, ½(a + b + e), ½(a − b + e), e.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KernelColumn<T, TW, TV>(TV a, TV b, TV e, TV half, out TV r0, out TV r1, out TV r2, out TV r3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct
    {
        r0 = a;
        r1 = TW.Multiply(TW.Add(TW.Add(a, b), e), half);
        r2 = TW.Multiply(TW.Add(TW.Subtract(a, b), e), half);
        r3 = e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFour<T, TW, TV>(T* at, int pairs, int first, TV x0, TV x1, TV x2, TV x3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct
    {
        TW.Store(x0, at + (first * (nint)pairs));
        TW.Store(x1, at + ((first + 1) * (nint)pairs));
        TW.Store(x2, at + ((first + 2) * (nint)pairs));
        TW.Store(x3, at + ((first + 3) * (nint)pairs));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KernelGradientColumn<T, TW, TV>(T* du, int pairs, int column, TV half, out TV h0, out TV h1, out TV h2)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct =>
        KernelGradientColumn<T, TW, TV>(
            TW.Load(du + (column * (nint)pairs)),
            TW.Load(du + ((4 + column) * (nint)pairs)),
            TW.Load(du + ((8 + column) * (nint)pairs)),
            TW.Load(du + ((12 + column) * (nint)pairs)),
            half,
            out h0,
            out h1,
            out h2);

    /// <summary>Gᵀ times the four values: a + ½(b + e), ½(b − e), ½(b + e) + f.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KernelGradientColumn<T, TW, TV>(TV a, TV b, TV e, TV f, TV half, out TV h0, out TV h1, out TV h2)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct
    {
        var middle = TW.Multiply(TW.Add(b, e), half);
        h0 = TW.Add(a, middle);
        h1 = TW.Multiply(TW.Subtract(b, e), half);
        h2 = TW.Add(middle, f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreThree<T, TW, TV>(T* at, int pairs, int first, TV x0, TV x1, TV x2)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : IVectorWidth<T, TV>
        where TV : struct
    {
        TW.Store(x0, at + (first * (nint)pairs));
        TW.Store(x1, at + ((first + 1) * (nint)pairs));
        TW.Store(x2, at + ((first + 2) * (nint)pairs));
    }
    /// <summary>One transform over channels from a start, in vectors of one width while whole ones fit; returns where it stopped.</summary>
    private interface IChannelStep<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int From<TW, TV>(int c)
            where TW : IVectorWidth<T, TV>
            where TV : struct;
    }

    private readonly struct InputStep<T>(T** d, int channels, T* v, nint planeStride) : IChannelStep<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int From<TW, TV>(int c)
            where TW : IVectorWidth<T, TV>
            where TV : struct
        {
            for (; c + TW.Count <= channels; c += TW.Count)
            {
                // Bᵀ d, one column at a time; then each row times B.
                InputColumn<T, TW, TV>(d, 0, c, out var t00, out var t10, out var t20, out var t30);
                InputColumn<T, TW, TV>(d, 1, c, out var t01, out var t11, out var t21, out var t31);
                InputColumn<T, TW, TV>(d, 2, c, out var t02, out var t12, out var t22, out var t32);
                InputColumn<T, TW, TV>(d, 3, c, out var t03, out var t13, out var t23, out var t33);
                InputRow<T, TW, TV>(t00, t01, t02, t03, v + c, planeStride, 0);
                InputRow<T, TW, TV>(t10, t11, t12, t13, v + c, planeStride, 1);
                InputRow<T, TW, TV>(t20, t21, t22, t23, v + c, planeStride, 2);
                InputRow<T, TW, TV>(t30, t31, t32, t33, v + c, planeStride, 3);
            }

            return c;
        }
    }

    private readonly struct OutputStep<T>(T* m, nint planeStride, int channels, T** y) : IChannelStep<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int From<TW, TV>(int c)
            where TW : IVectorWidth<T, TV>
            where TV : struct
        {
            for (; c + TW.Count <= channels; c += TW.Count)
            {
                // Aᵀ M, one column at a time; then each of its two rows times A.
                OutputColumn<T, TW, TV>(m + c, planeStride, 0, out var s00, out var s10);
                OutputColumn<T, TW, TV>(m + c, planeStride, 1, out var s01, out var s11);
                OutputColumn<T, TW, TV>(m + c, planeStride, 2, out var s02, out var s12);
                OutputColumn<T, TW, TV>(m + c, planeStride, 3, out var s03, out var s13);
                TW.Store(TW.Add(TW.Add(s00, s01), s02), y[0] + c);
                TW.Store(TW.Subtract(TW.Subtract(s01, s02), s03), y[1] + c);
                TW.Store(TW.Add(TW.Add(s10, s11), s12), y[2] + c);
                TW.Store(TW.Subtract(TW.Subtract(s11, s12), s13), y[3] + c);
            }

            return c;
        }
    }

    private readonly struct OutputGradientStep<T>(T** dy, int channels, T* dm, nint planeStride) : IChannelStep<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int From<TW, TV>(int c)
            where TW : IVectorWidth<T, TV>
            where TV : struct
        {
            var zero = TW.Broadcast(T.Zero);
            for (; c + TW.Count <= channels; c += TW.Count)
            {
                // A dY: rows y0, y0 + y1, y0 − y1, −y1 (per column); then each row times Aᵀ.
                var y00 = TW.Load(dy[0] + c);
                var y01 = TW.Load(dy[1] + c);
                var y10 = TW.Load(dy[2] + c);
                var y11 = TW.Load(dy[3] + c);
                OutputGradientRow<T, TW, TV>(y00, y01, dm + c, planeStride, 0);
                OutputGradientRow<T, TW, TV>(TW.Add(y00, y10), TW.Add(y01, y11), dm + c, planeStride, 1);
                OutputGradientRow<T, TW, TV>(TW.Subtract(y00, y10), TW.Subtract(y01, y11), dm + c, planeStride, 2);
                OutputGradientRow<T, TW, TV>(TW.Subtract(zero, y10), TW.Subtract(zero, y11), dm + c, planeStride, 3);
            }

            return c;
        }
    }

    private readonly struct InputGradientStep<T>(T* dv, nint planeStride, int channels, T** dd) : IChannelStep<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int From<TW, TV>(int c)
            where TW : IVectorWidth<T, TV>
            where TV : struct
        {
            for (; c + TW.Count <= channels; c += TW.Count)
            {
                // B dV, one column at a time; then each row times Bᵀ, added onto its four pixels.
                InputGradientColumn<T, TW, TV>(dv + c, planeStride, 0, out var r00, out var r10, out var r20, out var r30);
                InputGradientColumn<T, TW, TV>(dv + c, planeStride, 1, out var r01, out var r11, out var r21, out var r31);
                InputGradientColumn<T, TW, TV>(dv + c, planeStride, 2, out var r02, out var r12, out var r22, out var r32);
                InputGradientColumn<T, TW, TV>(dv + c, planeStride, 3, out var r03, out var r13, out var r23, out var r33);
                InputGradientRow<T, TW, TV>(r00, r01, r02, r03, dd, c, 0);
                InputGradientRow<T, TW, TV>(r10, r11, r12, r13, dd, c, 1);
                InputGradientRow<T, TW, TV>(r20, r21, r22, r23, dd, c, 2);
                InputGradientRow<T, TW, TV>(r30, r31, r32, r33, dd, c, 3);
            }

            return c;
        }
    }

    private readonly struct KernelStep<T>(T* g, int pairs, T* u) : IChannelStep<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int From<TW, TV>(int c)
            where TW : IVectorWidth<T, TV>
            where TV : struct
        {
            var half = TW.Broadcast(T.CreateTruncating(0.5));
            for (; c + TW.Count <= pairs; c += TW.Count)
            {
                // G g, one column at a time; then each of its four rows times Gᵀ.
                KernelColumn<T, TW, TV>(g + c, pairs, 0, half, out var r00, out var r10, out var r20, out var r30);
                KernelColumn<T, TW, TV>(g + c, pairs, 1, half, out var r01, out var r11, out var r21, out var r31);
                KernelColumn<T, TW, TV>(g + c, pairs, 2, half, out var r02, out var r12, out var r22, out var r32);
                KernelColumn<T, TW, TV>(r00, r01, r02, half, out var u0, out var u1, out var u2, out var u3);
                StoreFour<T, TW, TV>(u + c, pairs, 0, u0, u1, u2, u3);
                KernelColumn<T, TW, TV>(r10, r11, r12, half, out u0, out u1, out u2, out u3);
                StoreFour<T, TW, TV>(u + c, pairs, 4, u0, u1, u2, u3);
                KernelColumn<T, TW, TV>(r20, r21, r22, half, out u0, out u1, out u2, out u3);
                StoreFour<T, TW, TV>(u + c, pairs, 8, u0, u1, u2, u3);
                KernelColumn<T, TW, TV>(r30, r31, r32, half, out u0, out u1, out u2, out u3);
                StoreFour<T, TW, TV>(u + c, pairs, 12, u0, u1, u2, u3);
            }

            return c;
        }
    }

    private readonly struct KernelGradientStep<T>(T* du, int pairs, T* dg) : IChannelStep<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int From<TW, TV>(int c)
            where TW : IVectorWidth<T, TV>
            where TV : struct
        {
            var half = TW.Broadcast(T.CreateTruncating(0.5));
            for (; c + TW.Count <= pairs; c += TW.Count)
            {
                // Gᵀ dU, one column at a time; then each of its three rows times G.
                var p = du + c;
                KernelGradientColumn<T, TW, TV>(p, pairs, 0, half, out var h00, out var h10, out var h20);
                KernelGradientColumn<T, TW, TV>(p, pairs, 1, half, out var h01, out var h11, out var h21);
                KernelGradientColumn<T, TW, TV>(p, pairs, 2, half, out var h02, out var h12, out var h22);
                KernelGradientColumn<T, TW, TV>(p, pairs, 3, half, out var h03, out var h13, out var h23);
                KernelGradientColumn<T, TW, TV>(h00, h01, h02, h03, half, out var g0, out var g1, out var g2);
                StoreThree<T, TW, TV>(dg + c, pairs, 0, g0, g1, g2);
                KernelGradientColumn<T, TW, TV>(h10, h11, h12, h13, half, out g0, out g1, out g2);
                StoreThree<T, TW, TV>(dg + c, pairs, 3, g0, g1, g2);
                KernelGradientColumn<T, TW, TV>(h20, h21, h22, h23, half, out g0, out g1, out g2);
                StoreThree<T, TW, TV>(dg + c, pairs, 6, g0, g1, g2);
            }

            return c;
        }
    }
}
