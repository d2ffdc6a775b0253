using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using MnistMl.Nn;

namespace MnistMl.Persistence;

/// <summary>
/// The binary layout of a model's weights, little-endian throughout:
/// <code>
/// "MNMLWTS1"                        8 bytes, format and version
/// uint32 tensorCount
/// per tensor: uint16 nameLength, name (UTF-8, "layer/weight"), uint8 rank, int32 × rank dims,
///             float32 × product(dims) values
/// SHA-256 of all preceding bytes    32 bytes
/// </code>
/// Reading checks every size against what the model expects before it reads values, so a damaged
/// or foreign file fails with a reason instead of a huge allocation.
/// </summary>
internal static class WeightsFormat
{
    private static readonly byte[] Magic = "MNMLWTS1"u8.ToArray();

    public static void Write(Stream destination, IReadOnlyList<(string Name, int[] Shape, float[] Values)> tensors)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Put(ReadOnlySpan<byte> bytes)
        {
            hash.AppendData(bytes);
            destination.Write(bytes);
        }

        Span<byte> scratch = stackalloc byte[4];
        Put(Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)tensors.Count);
        Put(scratch);
        foreach (var (name, shape, values) in tensors)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            BinaryPrimitives.WriteUInt16LittleEndian(scratch, checked((ushort)nameBytes.Length));
            Put(scratch[..2]);
            Put(nameBytes);
            scratch[0] = checked((byte)shape.Length);
            Put(scratch[..1]);
            foreach (var d in shape)
            {
                BinaryPrimitives.WriteInt32LittleEndian(scratch, d);
                Put(scratch);
            }

            if (BitConverter.IsLittleEndian)
            {
                Put(MemoryMarshal.AsBytes(values.AsSpan()));
            }
            else
            {
                foreach (var v in values)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(scratch, v);
                    Put(scratch);
                }
            }
        }

        destination.Write(hash.GetHashAndReset());
    }

    /// <summary>Reads into <paramref name="expected"/>'s value arrays, which fix names, shapes and order.</summary>
    /// <exception cref="ModelFormatException">Anything in the file disagrees with the format or with <paramref name="expected"/>.</exception>
    public static void Read(Stream source, string displayName, IReadOnlyList<(string Name, int[] Shape, float[] Values)> expected)
    {
        byte[] bytes;
        var limit = 64 + expected.Sum(t => 1L + 2 + 256 + 4 * (t.Shape.Length + (long)t.Values.Length)) + 32;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[81920];
            int read;
            while ((read = source.Read(chunk)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit)
                {
                    throw new ModelFormatException(displayName, $"the weights are larger than the {limit:N0} bytes this architecture can need.");
                }
            }

            bytes = buffer.ToArray();
        }

        var reader = new SpanReader(bytes, displayName);
        if (bytes.Length < Magic.Length + 4 + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new ModelFormatException(displayName, "not a MnistMl weights file (wrong header).");
        }

        var body = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
        {
            throw new ModelFormatException(displayName, "the weights fail their SHA-256 checksum: the file is damaged.");
        }

        reader.Skip(Magic.Length);
        var count = reader.UInt32();
        if (count != expected.Count)
        {
            throw new ModelFormatException(displayName, $"holds {count} weight tensors but the architecture has {expected.Count}.");
        }

        foreach (var (name, shape, values) in expected)
        {
            var actualName = Encoding.UTF8.GetString(reader.Bytes(reader.UInt16()));
            if (actualName != name)
            {
                throw new ModelFormatException(displayName, $"found weight '{actualName}' where the architecture has '{name}'.");
            }

            var rank = reader.Byte();
            var dims = new int[rank];
            for (var i = 0; i < rank; i++)
            {
                dims[i] = reader.Int32();
            }

            if (!dims.AsSpan().SequenceEqual(shape))
            {
                throw new ModelFormatException(displayName, $"weight '{name}' has shape {Shapes.Format(dims)} but the architecture needs {Shapes.Format(shape)}.");
            }

            var data = reader.Bytes(checked(values.Length * 4));
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * 4, 4));
            }
        }

        if (reader.Position != body.Length)
        {
            throw new ModelFormatException(displayName, $"{body.Length - reader.Position} unexpected bytes follow the last weight.");
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> bytes, string displayName)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes[..^32];
        private int _position;

        public readonly int Position => _position;

        public void Skip(int count) => Bytes(count);

        public byte Byte() => Bytes(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (count < 0 || count > _bytes.Length - _position)
            {
                throw new ModelFormatException(displayName, "the weights end early: the file is truncated.");
            }

            var slice = _bytes.Slice(_position, count);
            _position += count;
            return slice;
        }
    }
}
