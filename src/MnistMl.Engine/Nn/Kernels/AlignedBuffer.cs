using System.Runtime.CompilerServices;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// A growable, pinned array whose element <see cref="Start"/> begins a 64-byte cache line, so that
/// whole vectors read from it never straddle two lines, and which shares no line with any other
/// object: a small buffer one thread writes next to another thread's data is false sharing.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
internal sealed class AlignedBuffer<T>
    where T : unmanaged
{
    private const int LineBytes = 64;

    /// <summary>Gets the array; use it from <see cref="Start"/> on.</summary>
    public T[] Array { get; private set; } = [];

    /// <summary>Gets the index of the first element that begins a cache line.</summary>
    public int Start { get; private set; }

    /// <summary>Gets the elements of one cache line.</summary>
    public static int LineElements => LineBytes / Unsafe.SizeOf<T>();

    /// <summary>Makes room for <paramref name="size"/> elements from <see cref="Start"/> on (the contents are then undefined).</summary>
    public AlignedBuffer<T> Ensure(int size)
    {
        if (Array.Length - Start < size)
        {
            // Pinned, so the alignment found now holds for the array's lifetime; whole lines, so
            // that no other object (another thread's buffer) shares a line with these elements.
            var lines = (size + LineElements - 1) / LineElements;
            Array = GC.AllocateArray<T>((lines + 1) * LineElements, pinned: true);
            Start = (int)((LineBytes - (AddressOf(Array) % LineBytes)) % LineBytes / Unsafe.SizeOf<T>());
        }

        return this;
    }

    private static unsafe long AddressOf(T[] array)
    {
        fixed (T* p = array)
        {
            return (long)p;
        }
    }
}
