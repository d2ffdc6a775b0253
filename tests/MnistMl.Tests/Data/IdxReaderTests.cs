using MnistMl.Data;

namespace MnistMl.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Read_reads_dimensions_and_data_of_a_raw_file()
    {
        var path = _folder.Write("images-idx3-ubyte", IdxBytes.UnsignedByteFile(3, 2, 4));

        var idx = IdxReader.Read(path);

        Assert.Equal([3, 2, 4], idx.Dimensions);
        Assert.Equal(IdxElementType.UnsignedByte, idx.ElementType);
        Assert.Equal(IdxBytes.Body(24), idx.Data);
        Assert.Equal("3×2×4", idx.Shape);
    }

    [Fact]
    public void Read_detects_gzip_by_its_magic_bytes_not_by_the_file_name()
    {
        var content = IdxBytes.UnsignedByteFile(5, 3);
        var gzipWithoutSuffix = _folder.Write("labels-idx2-ubyte", IdxBytes.Gzip(content));
        var rawWithGzSuffix = _folder.Write("raw-idx2-ubyte.gz", content);

        Assert.Equal(IdxBytes.Body(15), IdxReader.Read(gzipWithoutSuffix).Data);
        Assert.Equal(IdxBytes.Body(15), IdxReader.Read(rawWithGzSuffix).Data);
    }

    [Fact]
    public void Read_reads_raw_and_gzip_data_from_a_non_seekable_stream()
    {
        var content = IdxBytes.UnsignedByteFile(70_000);

        var raw = IdxReader.Read(new ForwardOnlyStream(content), "raw stream");
        var gzip = IdxReader.Read(new ForwardOnlyStream(IdxBytes.Gzip(content)), "gzip stream");

        Assert.Equal(IdxBytes.Body(70_000), raw.Data);
        Assert.Equal(IdxBytes.Body(70_000), gzip.Data);
    }

    [Fact]
    public void Read_names_the_stream_by_its_display_name_in_errors()
    {
        var error = Assert.Throws<DataFormatException>(
            () => IdxReader.Read(new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0]), "https://example.org/x.png"));

        Assert.Equal("https://example.org/x.png", error.FilePath);
        Assert.StartsWith("https://example.org/x.png: wrong magic number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_reports_a_missing_file_as_data_not_found()
    {
        var path = Path.Combine(_folder.Path, "absent-idx1-ubyte");

        var error = Assert.Throws<DataNotFoundException>(() => IdxReader.Read(path));

        Assert.Equal([path], error.SearchedLocations);
    }

    [Fact]
    public void Read_rejects_an_empty_file()
    {
        AssertRejected([], "the file is empty");
    }

    [Fact]
    public void Read_rejects_wrong_magic()
    {
        AssertRejected([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00], "wrong magic number 504B0304");
    }

    [Fact]
    public void Read_rejects_an_unknown_element_type_code_as_wrong_magic()
    {
        AssertRejected([.. IdxBytes.Header(0x07, 2), 1, 2], "wrong magic number 00000701");
    }

    [Fact]
    public void Read_rejects_a_valid_but_unsupported_element_type_naming_it()
    {
        AssertRejected(
            [.. IdxBytes.Header(0x0D, 1), 0x3F, 0x80, 0, 0],
            "unsupported element type 0x0D (float); only unsigned bytes (0x08) are supported");
    }

    [Fact]
    public void Read_rejects_a_zero_dimension_count()
    {
        AssertRejected(IdxBytes.Header(IdxBytes.UnsignedByte), "the header has a dimension count of zero");
    }

    [Fact]
    public void Read_rejects_a_zero_dimension()
    {
        AssertRejected(IdxBytes.Header(IdxBytes.UnsignedByte, 10, 0, 28), "dimension 2 of 3 is zero");
    }

    [Fact]
    public void Read_rejects_dimensions_whose_product_overflows()
    {
        AssertRejected(
            IdxBytes.Header(IdxBytes.UnsignedByte, uint.MaxValue, uint.MaxValue, uint.MaxValue),
            "absurd dimensions 4294967295×4294967295×4294967295");
    }

    [Fact]
    public void Read_rejects_dimensions_above_the_largest_possible_array()
    {
        // 65536 × 32768 = 2^31 bytes: fits in a long, but no byte[] can hold it.
        AssertRejected(IdxBytes.Header(IdxBytes.UnsignedByte, 65_536, 32_768), "absurd dimensions 65536×32768");
    }

    [Fact]
    public void Read_rejects_a_small_gzip_file_whose_header_declares_gigabytes_before_inflating_anything()
    {
        // 2,739,000 × 28 × 28 = 2.1 GB declared; a few kilobytes of zeros present.
        var bomb = IdxBytes.Gzip([.. IdxBytes.Header(IdxBytes.UnsignedByte, 2_739_000, 28, 28), .. new byte[1 << 20]]);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(new MemoryStream(bomb), "bomb.gz"));

        Assert.Contains("absurd dimensions 2739000×28×28: more than the 1,073,741,824 bytes (1 GiB) MnistMl reads from an IDX file", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Read_rejects_a_truncated_header()
    {
        AssertRejected(IdxBytes.Header(IdxBytes.UnsignedByte, 60_000, 28, 28)[..10], "truncated header: it ends after 10 bytes, but the header needs 16");
    }

    [Fact]
    public void Read_rejects_a_raw_header_claiming_more_than_the_file_holds_before_allocating()
    {
        AssertRejectedWithoutAllocatingTheClaim([.. HugeClaimHeader, 1, 2, 3]);
    }

    [Fact]
    public void Read_rejects_a_gzip_header_claiming_more_than_it_holds_without_allocating_the_claim()
    {
        AssertRejectedWithoutAllocatingTheClaim(IdxBytes.Gzip([.. HugeClaimHeader, 1, 2, 3]));
    }

    [Fact]
    public void Read_rejects_a_truncated_body()
    {
        var content = IdxBytes.UnsignedByteFile(4, 10);

        AssertRejected(IdxBytes.Gzip(content[..^10]), "truncated body: the header declares 40 data bytes (4×10) but only 30 are present");
    }

    [Fact]
    public void Read_rejects_a_truncated_body_from_a_non_seekable_stream()
    {
        var content = IdxBytes.UnsignedByteFile(100_000);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(new ForwardOnlyStream(content[..^1]), "pipe"));

        Assert.Equal("truncated body: the header declares 100000 data bytes (100000) but only 99999 are present", error.Reason);
    }

    [Fact]
    public void Read_rejects_trailing_garbage_after_a_raw_body()
    {
        AssertRejected(
            [.. IdxBytes.UnsignedByteFile(2, 2), 0xDE, 0xAD],
            "trailing data after the body: the header declares 4 data bytes (2×2) and 2 more bytes follow it");
    }

    [Fact]
    public void Read_rejects_trailing_garbage_after_a_gzip_body()
    {
        AssertRejected(
            IdxBytes.Gzip([.. IdxBytes.UnsignedByteFile(2, 2), 0xDE, 0xAD]),
            "trailing data after the body: the header declares 4 data bytes (2×2) and more data follows it");
    }

    [Fact]
    public void Read_rejects_corrupt_gzip_data_keeping_the_decompressor_error()
    {
        var gzip = IdxBytes.Gzip(IdxBytes.UnsignedByteFile(50, 50));
        gzip[10] |= 0x06; // the first deflate block's type becomes 11, which deflate reserves

        var error = AssertRejected(gzip, "corrupt gzip data: the compressed stream cannot be decoded");

        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Fact]
    public void Read_rejects_a_gzip_file_cut_short()
    {
        var noise = new byte[10_000];
        new Random(7).NextBytes(noise); // incompressible, so half the .gz is about half the content
        var gzip = IdxBytes.Gzip([.. IdxBytes.Header(IdxBytes.UnsignedByte, 100, 100), .. noise]);

        AssertRejected(gzip[..(gzip.Length / 2)], "truncated body: the header declares 10000 data bytes (100×100)");
    }

    [Fact]
    public void Read_rejects_a_gzip_file_that_decompresses_to_nothing()
    {
        // GZipStream writes nothing at all for empty content, so this is gzip's own empty member:
        // header, an empty final deflate block (03 00), CRC-32 0 and length 0.
        byte[] emptyGzip = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

        AssertRejected(emptyGzip, "the gzip file decompresses to nothing");
    }

    private static byte[] HugeClaimHeader => IdxBytes.Header(IdxBytes.UnsignedByte, 1000, 1000, 1000);

    private void AssertRejectedWithoutAllocatingTheClaim(byte[] content)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        AssertRejected(content, "truncated body: the header declares 1000000000 data bytes (1000×1000×1000) but only 3 are present");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1_000_000, $"{allocated} bytes were allocated to reject a file claiming 10^9");
    }

    private DataFormatException AssertRejected(byte[] content, string expectedReason)
    {
        var path = _folder.Write("bad-idx-ubyte", content);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(expectedReason, error.Reason, StringComparison.Ordinal);
        Assert.Equal($"{path}: {error.Reason}", error.Message);
        return error;
    }
}
