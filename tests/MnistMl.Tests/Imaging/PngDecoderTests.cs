using System.Buffers.Binary;
using MnistMl.Imaging;

namespace MnistMl.Tests.Imaging;

public class PngDecoderTests
{
    [Fact]
    public void Decode_reads_8_bit_greyscale_exactly()
    {
        var pixels = Enumerable.Range(0, 35).Select(i => (byte)(i * 7)).ToArray();

        var image = ImageDecoder.Decode(PngTestFile.Grey(7, 5, pixels).Encode());

        Assert.Equal((7, 5), (image.Width, image.Height));
        Assert.Equal(pixels, image.Pixels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    public void Decode_rescales_greyscale_of_every_bit_depth_to_0_255(byte bitDepth)
    {
        var file = new PngTestFile(13, 3, 0, bitDepth, PngTestFile.Pattern(39, (1 << bitDepth) - 1));

        AssertDecodesAsExpected(file, tolerance: bitDepth == 16 ? SixteenBitTolerance : 0.5);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Decode_converts_rgb_to_bt601_luma(byte bitDepth)
    {
        var file = new PngTestFile(6, 4, 2, bitDepth, PngTestFile.Pattern(72, (1 << bitDepth) - 1));

        AssertDecodesAsExpected(file, tolerance: 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Decode_reads_indexed_colour_of_every_bit_depth(byte bitDepth)
    {
        var entries = 1 << bitDepth;
        var palette = Enumerable.Range(0, 3 * entries).Select(i => (byte)((i * 97) + 13)).ToArray();
        var file = new PngTestFile(11, 3, 3, bitDepth, PngTestFile.Pattern(33, entries - 1)) { Palette = palette };

        AssertDecodesAsExpected(file, tolerance: 1);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Decode_lays_greyscale_with_alpha_over_white(byte bitDepth)
    {
        var file = new PngTestFile(5, 5, 4, bitDepth, PngTestFile.Pattern(50, (1 << bitDepth) - 1));

        AssertDecodesAsExpected(file, tolerance: bitDepth == 16 ? SixteenBitTolerance : 1);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Decode_lays_rgba_over_white(byte bitDepth)
    {
        var file = new PngTestFile(5, 4, 6, bitDepth, PngTestFile.Pattern(80, (1 << bitDepth) - 1));

        AssertDecodesAsExpected(file, tolerance: 1);
    }

    [Fact]
    public void Decode_makes_the_trns_grey_key_white()
    {
        var file = new PngTestFile(4, 1, 0, 8, [10, 20, 10, 30]) { Transparency = [0, 10] };

        Assert.Equal([255, 20, 255, 30], ImageDecoder.Decode(file.Encode()).Pixels);
    }

    [Fact]
    public void Decode_makes_the_trns_rgb_key_white()
    {
        var file = new PngTestFile(2, 1, 2, 16, [1000, 2000, 3000, 1000, 2000, 3001]) { Transparency = [0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8] };

        var image = ImageDecoder.Decode(file.Encode());

        Assert.Equal(255, image.Pixels[0]);
        Assert.InRange(image.Pixels[1], 6, 7);  // luma 1870.3 of 65535 → 7.3; SkiaSharp drops the low bytes first
    }

    [Fact]
    public void Decode_lays_palette_entries_with_trns_alpha_over_white()
    {
        var file = new PngTestFile(3, 1, 3, 8, [0, 1, 2]) { Palette = [0, 0, 0, 100, 100, 100, 50, 50, 50], Transparency = [0, 128] };

        // Entry 0 fully transparent, entry 1 half, entry 2 without an alpha (opaque).
        Assert.Equal([255, 177, 50], ImageDecoder.Decode(file.Encode()).Pixels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Decode_reverses_filter_type(byte filter)
    {
        var file = new PngTestFile(9, 6, 2, 8, PngTestFile.Pattern(162, 255, seed: filter)) { Filter = _ => filter };

        AssertDecodesAsExpected(file, tolerance: 1);
    }

    [Fact]
    public void Decode_reverses_mixed_filters_at_16_bits_with_two_bytes_per_pixel_step()
    {
        var file = new PngTestFile(7, 8, 4, 16, PngTestFile.Pattern(112, 65535)) { Filter = n => (byte)(n % 5) };

        AssertDecodesAsExpected(file, tolerance: SixteenBitTolerance);
    }

    [Theory]
    [InlineData(1, 1, 0, 8)]
    [InlineData(3, 5, 0, 8)]
    [InlineData(9, 9, 2, 8)]
    [InlineData(17, 11, 0, 1)]
    [InlineData(10, 3, 6, 16)]
    [InlineData(8, 8, 3, 4)]
    public void Decode_reads_adam7_interlaced_images(int width, int height, byte colourType, byte bitDepth)
    {
        var max = (1 << bitDepth) - 1;
        var channels = colourType switch { 2 => 3, 6 => 4, _ => 1 };
        var palette = colourType == 3 ? Enumerable.Range(0, 3 * (max + 1)).Select(i => (byte)(i * 11)).ToArray() : null;
        var file = new PngTestFile(width, height, colourType, bitDepth, PngTestFile.Pattern(width * height * channels, max))
        {
            Interlaced = true,
            Filter = n => (byte)(n % 5),
            Palette = palette,
        };

        AssertDecodesAsExpected(file, tolerance: 1);
    }

    [Fact]
    public void Decode_joins_image_data_split_over_many_idat_chunks()
    {
        var file = new PngTestFile(20, 20, 0, 8, PngTestFile.Pattern(400, 255)) { IdatChunkCount = 9, Filter = n => (byte)(n % 5) };

        Assert.True(file.Chunks().Count(c => c.Type == "IDAT") > 1);
        AssertDecodesAsExpected(file, tolerance: 0);
    }

    [Fact]
    public void Decode_skips_unknown_ancillary_chunks()
    {
        var chunks = PngTestFile.Grey(2, 1, 40, 80).Chunks();
        chunks.Insert(1, ("teXt", "Comment\0hello"u8.ToArray()));
        chunks.Insert(2, ("zzZz", [1, 2, 3]));

        Assert.Equal([40, 80], ImageDecoder.Decode(PngTestFile.Serialize(chunks)).Pixels);
    }

    [Fact]
    public void Decode_reads_files_streams_and_bytes_alike()
    {
        var bytes = PngTestFile.Grey(2, 2, 1, 2, 3, 4).Encode();
        using var folder = new Data.TempFolder();
        var path = folder.Write("grey.png", bytes);

        Assert.Equal([1, 2, 3, 4], ImageDecoder.Decode(path).Pixels);
        Assert.Equal([1, 2, 3, 4], ImageDecoder.Decode(new Data.ForwardOnlyStream(bytes)).Pixels);
        Assert.Equal([1, 2, 3, 4], ImageDecoder.Decode(bytes).Pixels);
    }

    [Fact]
    public void Decode_rejects_a_chunk_whose_crc_does_not_match()
    {
        var bytes = PngTestFile.Grey(2, 1, 40, 80).Encode();
        bytes[8 + 8 + 3] ^= 0x01;  // a byte of IHDR's width

        AssertRejected(bytes);
    }

    [Fact]
    public void Decode_rejects_an_unknown_critical_chunk()
    {
        var chunks = PngTestFile.Grey(2, 1, 40, 80).Chunks();
        chunks.Insert(1, ("ZZZZ", [1]));

        AssertRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_a_chunk_type_that_is_not_letters()
    {
        var chunks = PngTestFile.Grey(2, 1, 40, 80).Chunks();
        chunks.Insert(1, ("a1b2", [1]));

        AssertRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_a_filter_type_above_4()
    {
        var file = PngTestFile.Grey(2, 3, 1, 2, 3, 4, 5, 6);
        var file5 = new PngTestFile(2, 3, 0, 8, file.Samples) { Filter = n => n == 1 ? (byte)5 : (byte)0 };

        AssertRejected(file5.Encode());
    }

    [Fact]
    public void Decode_tolerates_or_rejects_a_file_cut_inside_a_chunk()
    {
        var bytes = PngTestFile.Grey(4, 4, new byte[16]).Encode();

        AssertToleratedOrRejected(bytes[..(bytes.Length - 20)]);
    }

    [Fact]
    public void Decode_tolerates_or_rejects_a_file_without_iend()
    {
        var chunks = PngTestFile.Grey(2, 1, 40, 80).Chunks();
        chunks.RemoveAt(chunks.Count - 1);

        AssertToleratedOrRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_image_data_that_inflates_to_fewer_bytes_than_the_size_needs()
    {
        var chunks = PngTestFile.Grey(3, 3, new byte[9]).Chunks();
        chunks[1] = ("IDAT", PngTestFile.Zlib(new byte[10]));  // 3 rows need 12

        AssertRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_tolerates_or_rejects_image_data_that_inflates_past_the_size_without_inflating_it_all()
    {
        // A decompression bomb: 64 MiB of zeros (about 64 KiB deflated) for a 1 × 1 image.
        var chunks = PngTestFile.Grey(1, 1, 0).Chunks();
        chunks[1] = ("IDAT", PngTestFile.Zlib(new byte[64 << 20]));

        AssertToleratedOrRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_a_size_that_the_compressed_data_cannot_reach_before_allocating_it()
    {
        var chunks = PngTestFile.Grey(1, 1, 0).Chunks();
        BinaryPrimitives.WriteUInt32BigEndian(chunks[0].Data, 8192);
        BinaryPrimitives.WriteUInt32BigEndian(chunks[0].Data.AsSpan(4), 8192);

        AssertRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_corrupt_compressed_data()
    {
        var chunks = PngTestFile.Grey(3, 3, new byte[9]).Chunks();
        chunks[1] = ("IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);

        AssertRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_a_wrong_adler32_checksum()
    {
        var chunks = PngTestFile.Grey(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9]).Chunks();
        chunks[1].Data[^1] ^= 0xFF;

        AssertRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_a_zero_width()
    {
        AssertRejected(WithHeader(h => BinaryPrimitives.WriteUInt32BigEndian(h, 0)));
    }

    [Fact]
    public void Decode_rejects_a_side_above_the_cap()
    {
        AssertTooLarge(WithHeader(h => BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), 16385)), 1, 16385);
    }

    [Fact]
    public void Decode_rejects_a_pixel_count_above_the_cap()
    {
        AssertTooLarge(
            WithHeader(h => { BinaryPrimitives.WriteUInt32BigEndian(h, 16384); BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), 16384); }), 16384, 16384);
    }

    [Fact]
    public void Decode_takes_a_tighter_pixel_limit_from_its_caller()
    {
        var png = WithHeader(h => { BinaryPrimitives.WriteUInt32BigEndian(h, 100); BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), 100); });

        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png, "test.png", maxPixels: 9_999));

        Assert.Equal("the header gives the image 10,000 pixels (100 × 100); this reader takes at most 9,999.", error.Reason);
    }

    [Fact]
    public void Decode_rejects_a_width_that_does_not_fit_31_bits()
    {
        AssertRejected(WithHeader(h => BinaryPrimitives.WriteUInt32BigEndian(h, 0xFFFFFFFF)));
    }

    [Fact]
    public void Decode_rejects_a_bit_depth_the_colour_type_does_not_allow()
    {
        AssertRejected(WithHeader(h => { h[8] = 4; h[9] = 2; }));
    }

    [Fact]
    public void Decode_rejects_an_unknown_colour_type()
    {
        AssertRejected(WithHeader(h => h[9] = 5));
    }

    [Fact]
    public void Decode_rejects_an_unknown_interlace_method()
    {
        AssertRejected(WithHeader(h => h[12] = 2));
    }

    [Fact]
    public void Decode_rejects_an_unknown_compression_method()
    {
        AssertRejected(WithHeader(h => h[10] = 1));
    }

    [Fact]
    public void Decode_rejects_a_header_of_the_wrong_length()
    {
        var chunks = PngTestFile.Grey(1, 1, 0).Chunks();
        chunks[0] = ("IHDR", chunks[0].Data[..12]);

        AssertRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_a_file_not_starting_with_ihdr()
    {
        var chunks = PngTestFile.Grey(1, 1, 0).Chunks();
        chunks.Insert(0, ("tEXt", "a\0b"u8.ToArray()));

        AssertRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_a_file_without_image_data()
    {
        var chunks = PngTestFile.Grey(1, 1, 0).Chunks();
        chunks.RemoveAll(c => c.Type == "IDAT");

        AssertRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_idat_chunks_that_are_not_consecutive()
    {
        var chunks = new PngTestFile(8, 8, 0, 8, PngTestFile.Pattern(64, 255)) { IdatChunkCount = 2 }.Chunks();
        chunks.Insert(2, ("tEXt", "a\0b"u8.ToArray()));

        AssertRejected(PngTestFile.Serialize(chunks));
    }

    [Fact]
    public void Decode_rejects_indexed_colour_without_a_palette()
    {
        AssertRejected(new PngTestFile(2, 1, 3, 8, [0, 1]).Encode());
    }

    [Fact]
    public void Decode_tolerates_or_rejects_a_palette_index_past_the_palette()
    {
        var file = new PngTestFile(3, 1, 3, 8, [0, 1, 2]) { Palette = [1, 2, 3, 4, 5, 6] };

        AssertToleratedOrRejected(file.Encode());
    }

    [Fact]
    public void Decode_tolerates_or_rejects_a_palette_larger_than_the_bit_depth_reaches()
    {
        var file = new PngTestFile(2, 1, 3, 1, [0, 1]) { Palette = new byte[9] };

        AssertToleratedOrRejected(file.Encode());
    }

    [Fact]
    public void Decode_tolerates_or_rejects_a_palette_whose_length_is_not_a_multiple_of_3()
    {
        var file = new PngTestFile(2, 1, 2, 8, new int[6]) { Palette = new byte[4] };

        AssertToleratedOrRejected(file.Encode());
    }

    [Fact]
    public void Decode_tolerates_or_rejects_a_palette_in_a_greyscale_image()
    {
        var file = new PngTestFile(2, 1, 0, 8, new int[2]) { Palette = new byte[3] };

        AssertToleratedOrRejected(file.Encode());
    }

    [Fact]
    public void Decode_tolerates_or_rejects_trns_in_an_image_with_alpha()
    {
        var file = new PngTestFile(1, 1, 4, 8, [1, 2]) { Transparency = [0, 0] };

        AssertToleratedOrRejected(file.Encode());
    }

    [Fact]
    public void Decode_tolerates_or_rejects_trns_of_the_wrong_length()
    {
        var file = new PngTestFile(1, 1, 2, 8, [1, 2, 3]) { Transparency = [0, 0] };

        AssertToleratedOrRejected(file.Encode());
    }

    [Fact]
    public void Decode_rejects_a_damaged_signature()
    {
        var bytes = PngTestFile.Grey(1, 1, 0).Encode();
        bytes[4] = 0x0A;  // CR LF turned into LF by a text-mode transfer

        AssertRejected(bytes);
    }

    [Fact]
    public void Decode_rejects_a_file_that_ends_inside_the_signature()
    {
        AssertRejected([0x89, 0x50, 0x4E, 0x47, 0x0D]);
    }

    [Fact]
    public void Decode_rejects_a_chunk_length_past_the_end_of_the_file()
    {
        var bytes = PngTestFile.Grey(1, 1, 0).Encode();
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), 0x7FFFFFFF);

        AssertRejected(bytes);
    }

    [Fact]
    public void Decode_names_the_file_it_rejects()
    {
        using var folder = new Data.TempFolder();
        var path = folder.Write("broken.png", PngTestFile.Grey(1, 1, 0).Encode()[..20]);

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(path));

        Assert.Equal(path, error.ImageName);
        Assert.StartsWith($"{path}: SkiaSharp cannot read the PNG header", error.Message, StringComparison.Ordinal);
    }

    private static byte[] WithHeader(Action<byte[]> edit)
    {
        var chunks = PngTestFile.Grey(1, 1, 0).Chunks();
        edit(chunks[0].Data);
        return PngTestFile.Serialize(chunks);
    }

    /// <summary>A damaged file is an <see cref="ImageFormatException"/> naming it (the reason is SkiaSharp's, in its words).</summary>
    /// <summary>SkiaSharp reduces 16-bit samples to 8 bits by dropping the low byte, before any compositing: up to 1.5 grey levels below the exact value.</summary>
    private const double SixteenBitTolerance = 1.5;

    private static void AssertTooLarge(byte[] png, long width, long height)
    {
        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png, "test.png"));
        Assert.Equal(("test.png", width, height), (error.ImageName, error.Width, error.Height));
    }

    private static void AssertRejected(byte[] png)
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png, "test.png"));
        Assert.Equal("test.png", error.ImageName);
    }

    /// <summary>
    /// A file with a fault libpng forgives (as browsers do) decodes to an image of the header's
    /// size, or fails with an <see cref="ImageFormatException"/>; it never crashes or hangs.
    /// </summary>
    private static void AssertToleratedOrRejected(byte[] png)
    {
        var error = Record.Exception(() => ImageDecoder.Decode(png, "test.png"));
        Assert.True(error is null or ImageFormatException, $"{error?.GetType().Name}: {error?.Message}");
    }

    private static void AssertDecodesAsExpected(PngTestFile file, double tolerance)
    {
        var image = ImageDecoder.Decode(file.Encode());

        Assert.Equal((file.Width, file.Height), (image.Width, image.Height));
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            var expected = file.ExpectedGrey(i);
            Assert.True(Math.Abs(image.Pixels[i] - expected) <= tolerance, $"pixel {i}: decoded {image.Pixels[i]}, expected {expected:F2}");
        }
    }
}
