using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

/// <summary>
/// Builds PNG files from sample values straight from the specification, independently of the
/// library's decoder: samples are packed at the bit depth, split into Adam7 passes, filtered with
/// the filter each scanline is given, deflated and cut into chunks. Tests edit the chunk list to
/// make malformed files.
/// </summary>
internal sealed class PngTestFile
{
    public PngTestFile(int width, int height, byte colourType, byte bitDepth, int[] samples)
    {
        Width = width;
        Height = height;
        ColourType = colourType;
        BitDepth = bitDepth;
        Samples = samples;
        Assert.Equal(width * height * Channels, samples.Length);
    }

    public int Width { get; }

    public int Height { get; }

    public byte ColourType { get; }

    public byte BitDepth { get; }

    /// <summary>Channel values of every pixel, row-major, in the bit depth's range.</summary>
    public int[] Samples { get; }

    public bool Interlaced { get; init; }

    /// <summary>The filter type of the n-th scanline written (counting through all passes).</summary>
    public Func<int, byte> Filter { get; init; } = _ => 0;

    public byte[]? Palette { get; init; }

    public byte[]? Transparency { get; init; }

    public int IdatChunkCount { get; init; } = 1;

    public int Channels => ColourType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };

    public int Max => (1 << BitDepth) - 1;

    /// <summary>A greyscale 8-bit file whose pixels are <paramref name="pixels"/>.</summary>
    public static PngTestFile Grey(int width, int height, params byte[] pixels) =>
        new(width, height, 0, 8, [.. pixels.Select(p => (int)p)]);

    /// <summary>Samples that sweep the bit depth's range in a pattern that differs between neighbours.</summary>
    public static int[] Pattern(int count, int max, int seed = 1)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => i % 7 == 0 ? max : i % 5 == 0 ? 0 : random.Next(max + 1))];
    }

    public byte[] Encode() => Serialize(Chunks());

    /// <summary>IHDR, PLTE, tRNS, the IDAT chunks and IEND, as (type, data) pairs.</summary>
    public List<(string Type, byte[] Data)> Chunks()
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)Width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)Height);
        header[8] = BitDepth;
        header[9] = ColourType;
        header[12] = (byte)(Interlaced ? 1 : 0);
        var chunks = new List<(string, byte[])> { ("IHDR", header) };
        if (Palette is not null)
        {
            chunks.Add(("PLTE", Palette));
        }

        if (Transparency is not null)
        {
            chunks.Add(("tRNS", Transparency));
        }

        var compressed = Zlib(FilteredScanlines());
        var size = (compressed.Length + IdatChunkCount - 1) / IdatChunkCount;
        for (var start = 0; start < compressed.Length; start += size)
        {
            chunks.Add(("IDAT", compressed[start..Math.Min(compressed.Length, start + size)]));
        }

        chunks.Add(("IEND", []));
        return chunks;
    }

    /// <summary>The bytes the IDAT data inflates to: every pass's scanlines, each a filter byte and packed samples.</summary>
    public byte[] FilteredScanlines()
    {
        var passes = Interlaced
            ? new[] { (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2) }
            : [(0, 0, 1, 1)];
        var output = new List<byte>();
        var scanline = 0;
        foreach (var (x0, y0, dx, dy) in passes)
        {
            var xs = Enumerable.Range(0, Width).Where(x => x >= x0 && (x - x0) % dx == 0).ToArray();
            var ys = Enumerable.Range(0, Height).Where(y => y >= y0 && (y - y0) % dy == 0).ToArray();
            if (xs.Length == 0 || ys.Length == 0)
            {
                continue;
            }

            byte[]? above = null;
            foreach (var y in ys)
            {
                var row = Pack([.. xs.SelectMany(x => Samples.Skip(((y * Width) + x) * Channels).Take(Channels))]);
                var filter = Filter(scanline++);
                output.Add(filter);
                output.AddRange(ApplyFilter(filter, row, above ?? new byte[row.Length], Math.Max(1, Channels * BitDepth / 8)));
                above = row;
            }
        }

        return [.. output];
    }

    public static byte[] Zlib(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return compressed.ToArray();
    }

    public static byte[] Serialize(IEnumerable<(string Type, byte[] Data)> chunks)
    {
        var file = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        foreach (var (type, data) in chunks)
        {
            file.AddRange(Chunk(type, data));
        }

        return [.. file];
    }

    /// <summary>One chunk: length, type, data and the CRC of type and data.</summary>
    public static byte[] Chunk(string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        typeBytes.CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute([.. typeBytes, .. data]));
        return chunk;
    }

    /// <summary>The grey level a decoder must give pixel <paramref name="pixel"/>, computed in doubles: BT.601 luma, alpha over white, tRNS keys and palette alphas.</summary>
    public double ExpectedGrey(int pixel)
    {
        var s = Samples.Skip(pixel * Channels).Take(Channels).ToArray();
        double max = Max;
        double grey, alpha;
        switch (ColourType)
        {
            case 3:
                var index = s[0];
                grey = Luma(Palette![3 * index], Palette[(3 * index) + 1], Palette[(3 * index) + 2]);
                alpha = Transparency is not null && index < Transparency.Length ? Transparency[index] / 255.0 : 1;
                return (grey * alpha) + (255 * (1 - alpha));
            case 0:
                alpha = Transparency is not null && s[0] == BinaryPrimitives.ReadUInt16BigEndian(Transparency) ? 0 : 1;
                grey = s[0];
                break;
            case 2:
                alpha = Transparency is not null && s[0] == BinaryPrimitives.ReadUInt16BigEndian(Transparency)
                    && s[1] == BinaryPrimitives.ReadUInt16BigEndian(Transparency.AsSpan(2)) && s[2] == BinaryPrimitives.ReadUInt16BigEndian(Transparency.AsSpan(4)) ? 0 : 1;
                grey = Luma(s[0], s[1], s[2]);
                break;
            case 4:
                (grey, alpha) = (s[0], s[1] / max);
                break;
            default:
                (grey, alpha) = (Luma(s[0], s[1], s[2]), s[3] / max);
                break;
        }

        return ((grey * alpha) + (max * (1 - alpha))) * 255 / max;
    }

    private static double Luma(double r, double g, double b) => (0.299 * r) + (0.587 * g) + (0.114 * b);

    private byte[] Pack(int[] samples)
    {
        var bytes = new byte[((samples.Length * BitDepth) + 7) / 8];
        for (var k = 0; k < samples.Length; k++)
        {
            if (BitDepth == 16)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * k), (ushort)samples[k]);
            }
            else
            {
                var bit = k * BitDepth;
                bytes[bit / 8] |= (byte)(samples[k] << (8 - BitDepth - (bit % 8)));
            }
        }

        return bytes;
    }

    private static byte[] ApplyFilter(byte filter, byte[] row, byte[] above, int bpp)
    {
        var output = new byte[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = above[i], c = i >= bpp ? above[i - bpp] : 0;
            var prediction = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => PaethPredictor(a, b, c),
                _ => 0,
            };
            output[i] = (byte)(row[i] - prediction);
        }

        return output;
    }

    private static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }
}
