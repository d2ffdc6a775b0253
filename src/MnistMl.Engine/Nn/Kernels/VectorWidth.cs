using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// The operations a kernel needs from one SIMD width, so a single generic kernel body serves both
/// <see cref="Vector256{T}"/> and <see cref="Vector512{T}"/>: the JIT compiles one specialised,
/// fully inlined copy per width.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
/// <typeparam name="TVector">The vector type of this width.</typeparam>
internal interface IVectorWidth<T, TVector>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVector : struct
{
    /// <summary>Gets the elements per vector.</summary>
    static abstract int Count { get; }

    static abstract unsafe TVector Load(T* source);

    static abstract unsafe void Store(TVector value, T* destination);

    static abstract TVector Broadcast(T value);

    static abstract TVector Add(TVector x, TVector y);

    static abstract TVector Subtract(TVector x, TVector y);

    static abstract TVector Multiply(TVector x, TVector y);

    /// <summary><c>x·y + z</c>, fused where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector x, TVector y, TVector z);

    /// <summary>The larger of each pair of elements.</summary>
    static abstract TVector Max(TVector x, TVector y);
}

/// <summary>256-bit vectors: AVX2 machines, and the fallback everywhere else.</summary>
internal readonly struct Width256<T> : IVectorWidth<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector256<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> x, Vector256<T> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> x, Vector256<T> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> x, Vector256<T> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Max(Vector256<T> x, Vector256<T> y) => Vector256.Max(x, y);

    /// <summary><c>x·y + z</c>, fused where the hardware has FMA (one rounding); the JIT removes the type tests.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        }

        return (x * y) + z;
    }
}

/// <summary>512-bit vectors: AVX-512 machines, where they double the work of every instruction.</summary>
internal readonly struct Width512<T> : IVectorWidth<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector512<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> x, Vector512<T> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> x, Vector512<T> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> x, Vector512<T> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Max(Vector512<T> x, Vector512<T> y) => Vector512.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> x, Vector512<T> y, Vector512<T> z)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        }

        return (x * y) + z;
    }
}

/// <summary>One element at a time: the tails of kernels that run along channels, past the last whole vector.</summary>
internal readonly struct Width1<T> : IVectorWidth<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T Load(T* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(T value, T* destination) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T x, T y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T x, T y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T x, T y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max(T x, T y) => T.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T x, T y, T z) => T.MultiplyAddEstimate(x, y, z);   // fused exactly where the vector widths' are
}
