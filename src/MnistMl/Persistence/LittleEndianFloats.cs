using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MnistMl.Persistence;

/// <summary>float32 values stored little-endian, as every binary entry of a model file holds them.</summary>
internal static class LittleEndianFloats
{
    /// <summary>Reads <paramref name="values"/>.Length values from <paramref name="source"/> (4 bytes each).</summary>
    public static void Read(ReadOnlySpan<byte> source, Span<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(source[..(4 * values.Length)]).CopyTo(values);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4 * i, 4));
        }
    }
}
