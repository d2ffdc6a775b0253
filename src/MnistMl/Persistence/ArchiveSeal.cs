using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MnistMl.Persistence;

/// <summary>
/// The integrity check of a whole model file: its zip comment is <c>mnistml-sha256:</c> and the
/// SHA-256 (64 lower-case hex digits) of every byte before the comment — entries, zip headers,
/// central directory and end record — so any change to any byte fails the load. The zip's own
/// CRC-32s cover entry contents only, and .NET does not verify them on read.
/// </summary>
internal static class ArchiveSeal
{
    private const string Prefix = "mnistml-sha256:";
    private const int CommentLength = 79; // Prefix + 64 hex digits
    private const int EndRecordLength = 22;
    private const uint EndRecordSignature = 0x06054b50;
    private const int CommentLengthOffset = 20;

    /// <summary>Whether <paramref name="archive"/> ends as a zip without a comment does: what <see cref="WriteSealed"/> can seal.</summary>
    public static bool CanSeal(ReadOnlySpan<byte> archive) =>
        archive.Length >= EndRecordLength
        && BinaryPrimitives.ReadUInt32LittleEndian(archive[^EndRecordLength..]) == EndRecordSignature
        && BinaryPrimitives.ReadUInt16LittleEndian(archive[^EndRecordLength..][CommentLengthOffset..]) == 0;

    /// <summary>Writes <paramref name="archive"/> (a complete zip without a comment) to <paramref name="destination"/> with the seal as its comment.</summary>
    public static void WriteSealed(MemoryStream archive, Stream destination)
    {
        var bytes = archive.GetBuffer().AsSpan(0, checked((int)archive.Length));
        if (!CanSeal(bytes))
        {
            throw new InvalidOperationException("The zip writer did not end the archive with a comment-less end record.");
        }

        var endRecord = bytes[^EndRecordLength..];
        BinaryPrimitives.WriteUInt16LittleEndian(endRecord[CommentLengthOffset..], CommentLength);
        destination.Write(bytes);
        destination.Write(Encoding.ASCII.GetBytes(Prefix + Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    /// <summary>The comment a sealed archive ends with, up to the hash.</summary>
    public static string CommentPrefix => Prefix;

    /// <summary>Checks the seal of the archive in <paramref name="archive"/> (seekable): false when it has none.</summary>
    /// <exception cref="ModelFormatException">The archive's bytes do not match its seal.</exception>
    public static bool Verify(Stream archive, string file)
    {
        var length = archive.Length;
        Span<byte> tail = stackalloc byte[EndRecordLength + CommentLength];
        var sealedLength = length - CommentLength;
        var hasSeal = length >= tail.Length;
        if (hasSeal)
        {
            archive.Position = length - tail.Length;
            archive.ReadExactly(tail);
            hasSeal = BinaryPrimitives.ReadUInt32LittleEndian(tail) == EndRecordSignature
                && BinaryPrimitives.ReadUInt16LittleEndian(tail[CommentLengthOffset..]) == CommentLength
                && tail[EndRecordLength..].StartsWith(Encoding.ASCII.GetBytes(Prefix));
        }

        if (!hasSeal)
        {
            return false;
        }

        archive.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        for (var left = sealedLength; left > 0;)
        {
            var read = archive.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw new ModelFormatException(file, "ended while its integrity seal was being checked.");
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }

        var sealedHex = Encoding.ASCII.GetString(tail[(EndRecordLength + Prefix.Length)..]);
        if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), sealedHex, StringComparison.Ordinal))
        {
            throw new ModelFormatException(file, "fails its integrity check: the SHA-256 of its bytes differs from the one sealed at its end. The file is damaged.");
        }

        return true;
    }
}
