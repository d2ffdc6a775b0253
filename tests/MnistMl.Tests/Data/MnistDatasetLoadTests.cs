using MnistMl.Data;

namespace MnistMl.Tests.Data;

public sealed class MnistDatasetLoadTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(MnistSplit.Train, 60_000, new[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 })]
    [InlineData(MnistSplit.Test, 10_000, new[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 })]
    public void Load_reads_a_real_split_with_its_published_shape_and_label_counts(MnistSplit split, int count, int[] labelCounts)
    {
        var dataset = MnistDataset.Load(MnistTestData.Folder, split);

        Assert.Equal((count, 28, 28), (dataset.Count, dataset.Rows, dataset.Columns));
        Assert.Equal(count * 28 * 28, dataset.Images.Length);
        Assert.Equal(labelCounts, dataset.CountLabels());
    }

    [Fact]
    public void Load_of_a_split_finds_its_files_as_the_locator_does()
    {
        var test = MnistDataset.Load(MnistSplit.Test, new MnistDataOptions { DataFolder = MnistTestData.Folder, AllowDownload = false });

        Assert.Equal(10_000, test.Count);
    }

    [Fact]
    public void Load_accepts_uncompressed_files_without_the_gz_suffix()
    {
        _folder.Write("t10k-images-idx3-ubyte", IdxBytes.UnsignedByteFile(3, 2, 2));
        _folder.Write("t10k-labels-idx1-ubyte", [.. IdxBytes.Header(IdxBytes.UnsignedByte, 3), 7, 0, 9]);

        var test = MnistDataset.Load(_folder.Path, MnistSplit.Test);

        Assert.Equal((3, 2, 2), (test.Count, test.Rows, test.Columns));
        Assert.Equal([7, 0, 9], test.Labels.ToArray());
        Assert.Equal(IdxBytes.Body(4).Select(b => (byte)(b + 4)), test.GetImage(1).ToArray());
    }

    [Fact]
    public void Load_reports_missing_files_naming_them_and_the_folder()
    {
        _folder.Write("train-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.UnsignedByteFile(1, 2, 2)));

        var error = Assert.Throws<DataNotFoundException>(() => MnistDataset.Load(_folder.Path, MnistSplit.Train));

        Assert.Contains($"not found in {_folder.Path}: missing train-labels-idx1-ubyte", error.Message, StringComparison.Ordinal);
        Assert.Equal([_folder.Path], error.SearchedLocations);
    }

    [Fact]
    public void LoadIdxPair_rejects_image_and_label_counts_that_differ()
    {
        var (images, labels) = WritePair(IdxBytes.UnsignedByteFile(3, 2, 2), [.. IdxBytes.Header(IdxBytes.UnsignedByte, 2), 1, 2]);

        var error = Assert.Throws<DataFormatException>(() => MnistDataset.LoadIdxPair(images, labels));

        Assert.Equal(labels, error.FilePath);
        Assert.Equal($"it holds 2 labels but {images} holds 3 images", error.Reason);
    }

    [Fact]
    public void LoadIdxPair_rejects_a_label_outside_0_to_9_naming_its_index_and_value()
    {
        var (images, labels) = WritePair(IdxBytes.UnsignedByteFile(4, 2, 2), [.. IdxBytes.Header(IdxBytes.UnsignedByte, 4), 3, 9, 10, 0]);

        var error = Assert.Throws<DataFormatException>(() => MnistDataset.LoadIdxPair(images, labels));

        Assert.Equal(labels, error.FilePath);
        Assert.Equal("label 10 at index 2 is outside 0–9", error.Reason);
    }

    [Fact]
    public void LoadIdxPair_rejects_images_that_are_not_3_dimensional()
    {
        var (images, labels) = WritePair(IdxBytes.UnsignedByteFile(4, 4), [.. IdxBytes.Header(IdxBytes.UnsignedByte, 4), 1, 2, 3, 4]);

        var error = Assert.Throws<DataFormatException>(() => MnistDataset.LoadIdxPair(images, labels));

        Assert.Equal(images, error.FilePath);
        Assert.Equal("an images file must have 3 dimensions (count×rows×columns), but this one is 4×4", error.Reason);
    }

    [Fact]
    public void LoadIdxPair_rejects_labels_that_are_not_1_dimensional()
    {
        var (images, labels) = WritePair(IdxBytes.UnsignedByteFile(2, 2, 2), [.. IdxBytes.Header(IdxBytes.UnsignedByte, 2, 1), 1, 2]);

        var error = Assert.Throws<DataFormatException>(() => MnistDataset.LoadIdxPair(images, labels));

        Assert.Equal(labels, error.FilePath);
        Assert.Equal("a labels file must have 1 dimension (count), but this one is 2×1", error.Reason);
    }

    private (string Images, string Labels) WritePair(byte[] images, byte[] labels) =>
        (_folder.Write("images-idx3-ubyte", images), _folder.Write("labels-idx1-ubyte", labels));
}
