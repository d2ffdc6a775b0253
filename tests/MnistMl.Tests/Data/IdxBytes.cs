using System.Buffers.Binary;
using System.IO.Compression;

namespace MnistMl.Tests.Data;

/// <summary>Builds IDX files, well-formed or not, as bytes.</summary>
internal static class IdxBytes
{
    public const byte UnsignedByte = 0x08;

    /// <summary>The header: 00 00, the type code, the dimension count, then each size big-endian.</summary>
    public static byte[] Header(byte typeCode, params uint[] dimensions)
    {
        var header = new byte[4 + (4 * dimensions.Length)];
        header[2] = typeCode;
        header[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 + (4 * i)), dimensions[i]);
        }

        return header;
    }

    /// <summary>An unsigned-byte file whose elements are 0, 1, 2, … (mod 251) and exactly fill <paramref name="dimensions"/>.</summary>
    public static byte[] UnsignedByteFile(params uint[] dimensions)
    {
        var length = dimensions.Aggregate(1, (product, d) => product * (int)d);
        return [.. Header(UnsignedByte, dimensions), .. Body(length)];
    }

    public static byte[] Body(int length) => Enumerable.Range(0, length).Select(i => (byte)(i % 251)).ToArray();

    public static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return compressed.ToArray();
    }

    public static byte[] Gunzip(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var content = new MemoryStream();
        gzip.CopyTo(content);
        return content.ToArray();
    }
}
