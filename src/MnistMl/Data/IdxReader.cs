using System.Buffers.Binary;
using System.IO.Compression;
using MnistMl.Persistence;

namespace MnistMl.Data;

/// <summary>
/// Reads IDX files (the format MNIST ships in), raw or gzip-compressed. Gzip is recognised by
/// its magic bytes <c>1f 8b</c>, not by the file name.
/// </summary>
/// <remarks>
/// An IDX file is a big-endian header (two zero bytes, an element type code, a dimension count,
/// then one 4-byte size per dimension) followed by the elements, row-major. Only unsigned-byte
/// files are accepted. Every malformed input ends in a <see cref="DataFormatException"/> naming
/// the file and the reason, decided before any large allocation: a raw file's body is checked
/// against the file's length first, and a gzip body is collected as it actually decompresses
/// rather than allocated at the size its header claims.
/// </remarks>
public static class IdxReader
{
    /// <summary>
    /// The largest body accepted: 1 GiB, 1.37 million 28 × 28 images (MNIST's training set is 47 MB,
    /// EMNIST's largest 638 MB). Checked against the header before anything is read or allocated, so
    /// a small gzip file of zeros cannot make the reader inflate gigabytes.
    /// </summary>
    public const int MaxBodyBytes = 1 << 30;

    // Big enough to take small files in one read, small enough that a lying header costs nothing.
    private const int InitialGrowingCapacity = 1 << 16;

    private const int MagicLength = 4;

    /// <summary>
    /// Why a gzip stream is rejected. The inflater's own message names a symptom ("unsupported
    /// compression method"), not the cause, so it is kept only as the inner exception.
    /// </summary>
    internal const string CorruptGzipReason = "corrupt gzip data: the compressed stream cannot be decoded";

    /// <summary>Reads the IDX file at <paramref name="path"/>.</summary>
    /// <param name="path">The file, raw or gzip-compressed; used as the file name in errors.</param>
    /// <returns>The file's dimensions and elements.</returns>
    /// <exception cref="DataFormatException">The file is not a well-formed unsigned-byte IDX file.</exception>
    /// <exception cref="DataNotFoundException">The file does not exist.</exception>
    /// <exception cref="FileAccessException">The file cannot be read: permission, not a regular file, a symbolic-link loop.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream file;
        try
        {
            file = InputFile.OpenRead(path, bufferSize: 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataNotFoundException($"{path}: no such file.", [path], ex);
        }

        using (file)
        {
            return Read(file, path);
        }
    }

    /// <summary>Reads an IDX file from <paramref name="stream"/>, from its current position to its end.</summary>
    /// <param name="stream">The data, raw or gzip-compressed; it may be non-seekable. It is read but not disposed.</param>
    /// <param name="displayName">The name to give the data in errors, usually its file path or URL.</param>
    /// <returns>The file's dimensions and elements.</returns>
    /// <exception cref="DataFormatException">The data is not a well-formed unsigned-byte IDX file.</exception>
    public static IdxArray Read(Stream stream, string displayName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(displayName);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        // Known only for a seekable stream; lets a raw body be checked before it is allocated.
        long? remainingLength = stream.CanSeek ? stream.Length - stream.Position : null;
        var prefix = new byte[2];
        var prefixLength = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (prefixLength == 0)
        {
            throw new DataFormatException(displayName, "the file is empty");
        }

        using var whole = new PrefixedReadStream(prefix[..prefixLength], stream);
        if (prefixLength == 2 && prefix[0] == 0x1F && prefix[1] == 0x8B)
        {
            using var gzip = new GZipStream(whole, CompressionMode.Decompress, leaveOpen: true);
            try
            {
                return ReadIdx(gzip, displayName, availableLength: null, isGzip: true);
            }
            catch (InvalidDataException ex)
            {
                throw new DataFormatException(displayName, CorruptGzipReason, ex);
            }
        }

        return ReadIdx(whole, displayName, remainingLength, isGzip: false);
    }

    private static IdxArray ReadIdx(Stream source, string name, long? availableLength, bool isGzip)
    {
        Span<byte> magic = stackalloc byte[MagicLength];
        ReadHeaderPart(source, magic, 0, name, isGzip);
        var typeCode = magic[2];
        if (magic[0] != 0 || magic[1] != 0 || !Enum.IsDefined((IdxElementType)typeCode))
        {
            throw new DataFormatException(
                name,
                $"wrong magic number {Convert.ToHexString(magic)}: not an IDX file (expected 0000, an element type code 08-0E and a dimension count)");
        }

        var elementType = (IdxElementType)typeCode;
        if (elementType != IdxElementType.UnsignedByte)
        {
            throw new DataFormatException(
                name, $"unsupported element type 0x{typeCode:X2} ({IdxTypeName(elementType)}); only unsigned bytes (0x08) are supported");
        }

        var rank = magic[3];
        if (rank == 0)
        {
            throw new DataFormatException(name, "the header has a dimension count of zero");
        }

        Span<byte> sizes = stackalloc byte[4 * rank];
        ReadHeaderPart(source, sizes, MagicLength, name, isGzip);
        var dimensions = ParseDimensions(sizes, name);
        var length = 1;
        foreach (var dimension in dimensions)
        {
            length *= dimension; // ParseDimensions bounded the product by MaxBodyBytes.
        }

        var headerLength = MagicLength + sizes.Length;
        var data = availableLength is long available
            ? ReadKnownLengthBody(source, name, dimensions, length, available - headerLength)
            : ReadGrowingBody(source, name, dimensions, length);
        return new IdxArray(dimensions, elementType, data);
    }

    private static void ReadHeaderPart(Stream source, Span<byte> part, int offset, string name, bool isGzip)
    {
        var read = source.ReadAtLeast(part, part.Length, throwOnEndOfStream: false);
        if (read == part.Length)
        {
            return;
        }

        if (offset + read == 0)
        {
            // Only a gzip file gets here empty: a raw empty file was caught by its missing magic.
            throw new DataFormatException(name, isGzip ? "the gzip file decompresses to nothing" : "the file is empty");
        }

        throw new DataFormatException(
            name, $"truncated header: it ends after {offset + read} bytes, but the header needs {offset + part.Length}");
    }

    private static int[] ParseDimensions(ReadOnlySpan<byte> sizes, string name)
    {
        var dimensions = new int[sizes.Length / 4];
        var product = 1L;
        for (var i = 0; i < dimensions.Length; i++)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(sizes.Slice(4 * i, 4));
            if (size == 0)
            {
                throw new DataFormatException(name, $"dimension {i + 1} of {dimensions.Length} is zero");
            }

            // product <= MaxBodyBytes < 2^31 and size < 2^32, so the long cannot overflow here.
            product *= size;
            if (product > MaxBodyBytes)
            {
                var all = new uint[dimensions.Length];
                for (var j = 0; j < all.Length; j++)
                {
                    all[j] = BinaryPrimitives.ReadUInt32BigEndian(sizes.Slice(4 * j, 4));
                }

                throw new DataFormatException(
                    name, $"absurd dimensions {string.Join('×', all)}: more than the {MaxBodyBytes:N0} bytes (1 GiB) MnistMl reads from an IDX file");
            }

            dimensions[i] = (int)size;
        }

        return dimensions;
    }

    private static byte[] ReadKnownLengthBody(Stream source, string name, int[] dimensions, int length, long available)
    {
        if (available < length)
        {
            throw Truncated(name, dimensions, length, available);
        }

        if (available > length)
        {
            throw TrailingData(name, dimensions, length, $"{available - length} more bytes follow it");
        }

        var data = new byte[length];
        var read = source.ReadAtLeast(data, length, throwOnEndOfStream: false);
        return read == length ? data : throw Truncated(name, dimensions, length, read); // the file shrank while being read
    }

    private static byte[] ReadGrowingBody(Stream source, string name, int[] dimensions, int length)
    {
        // The header's claim is not trusted with an allocation: the buffer doubles only as data
        // actually arrives, so a small file claiming gigabytes costs a small buffer.
        var data = new byte[Math.Min(length, InitialGrowingCapacity)];
        var filled = 0;
        while (filled < length)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(length, 2L * data.Length));
            }

            var read = source.Read(data, filled, data.Length - filled);
            if (read == 0)
            {
                throw Truncated(name, dimensions, length, filled);
            }

            filled += read;
        }

        // One byte is enough to prove there is more than the header declared; reading stops there.
        Span<byte> probe = stackalloc byte[1];
        return source.Read(probe) == 0 ? data : throw TrailingData(name, dimensions, length, "more data follows it");
    }

    private static DataFormatException Truncated(string name, int[] dimensions, int length, long present) => new(
        name,
        $"truncated body: the header declares {length} data bytes ({IdxArray.FormatShape(dimensions)}) but only {Math.Max(present, 0)} are present");

    private static DataFormatException TrailingData(string name, int[] dimensions, int length, string what) => new(
        name,
        $"trailing data after the body: the header declares {length} data bytes ({IdxArray.FormatShape(dimensions)}) and {what}");

    private static string IdxTypeName(IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte => "unsigned byte",
        IdxElementType.SignedByte => "signed byte",
        IdxElementType.Int16 => "short",
        IdxElementType.Int32 => "int",
        IdxElementType.Single => "float",
        IdxElementType.Double => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
