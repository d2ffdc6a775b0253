using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

public class PngEncoderTests
{
    [Fact]
    public void Crc32_gives_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Encode_round_trips_grey_pixels_through_the_decoder()
    {
        var random = new Random(5);
        var image = new GrayImage(37, 23);
        random.NextBytes(image.Pixels);

        var decoded = ImageDecoder.Decode(PngEncoder.Encode(image));

        Assert.Equal((37, 23), (decoded.Width, decoded.Height));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void EncodeRgb_writes_an_8_bit_truecolour_png_that_decodes_to_luma()
    {
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 10, 10];

        var png = PngEncoder.EncodeRgb(2, 2, rgb);

        var header = Chunks(png).Single(c => c.Type == "IHDR").Data;
        Assert.Equal((8, 2), (header[8], header[9]));
        Assert.Equal([76, 150, 29, 10], ImageDecoder.Decode(png).Pixels);
    }

    [Fact]
    public void Encode_writes_ihdr_idat_iend_with_correct_crcs_and_zlib_data_holding_filtered_rows()
    {
        var image = new GrayImage(3, 2, [1, 2, 3, 4, 5, 6]);

        var png = PngEncoder.Encode(image);

        var chunks = Chunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.All(chunks, c => Assert.Equal(Crc32.Compute([.. Encoding.ASCII.GetBytes(c.Type), .. c.Data]), c.Crc));
        using var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        Assert.Equal(2 * (1 + 3), raw.Length);
        Assert.All(new[] { raw.ToArray()[0], raw.ToArray()[4] }, filter => Assert.InRange(filter, 0, 4));
    }

    [Fact]
    public void Encode_is_deterministic()
    {
        var image = new GrayImage(16, 16);
        new Random(3).NextBytes(image.Pixels);

        Assert.Equal(PngEncoder.Encode(image), PngEncoder.Encode(image));
    }

    [Fact]
    public void The_png_writer_of_the_drawing_code_writes_rgb_that_an_independent_reader_reads_back()
    {
        var rgb = new byte[3 * 5 * 4];
        new Random(9).NextBytes(rgb);
        using var file = new MemoryStream();

        PngRgbWriter.Instance.Write(file, 5, 4, rgb);

        var (width, height, read) = Visualization.TestPng.Read(file.ToArray());
        Assert.Equal((5, 4), (width, height));
        Assert.Equal(rgb, read);
    }

    [Fact]
    public void EncodeRgb_rejects_a_buffer_of_the_wrong_length()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.EncodeRgb(2, 2, new byte[11]));
    }

    private static List<(string Type, byte[] Data, uint Crc)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[], uint)>();
        for (var position = 8; position < png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position));
            var type = Encoding.ASCII.GetString(png, position + 4, 4);
            chunks.Add((type, png[(position + 8)..(position + 8 + length)], BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length))));
            position += 12 + length;
        }

        return chunks;
    }
}
