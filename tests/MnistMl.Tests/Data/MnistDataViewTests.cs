using System.Runtime.InteropServices;

namespace MnistMl.Tests.Data;

public class MnistDataViewTests
{
    private readonly MnistContext _ml = new();

    [Fact]
    public void Mnist_view_has_a_byte_label_and_a_byte_image_of_the_dataset_shape()
    {
        var view = _ml.Data.LoadMnist(SyntheticMnist.Create(4, rows: 3, columns: 2));

        Assert.Equal("Label: Byte, Image: Vector<Byte, 3, 2>", view.Schema.ToString());
        Assert.Equal(4, view.GetRowCount());
    }

    [Fact]
    public void Cursor_reads_the_dataset_labels_and_images_in_order()
    {
        var dataset = SyntheticMnist.Create(12);
        var view = _ml.Data.LoadMnist(dataset);

        Assert.Equal(dataset.Labels.ToArray(), SyntheticMnist.ReadColumn<byte>(view, "Label"));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => dataset.GetImage(i).ToArray()), SyntheticMnist.ReadVectors<byte>(view, "Image"));
    }

    [Fact]
    public void Image_values_are_slices_of_the_dataset_array_not_copies()
    {
        var dataset = SyntheticMnist.Create(3);
        var view = _ml.Data.LoadMnist(dataset);

        var second = SyntheticMnist.ReadColumn<ReadOnlyMemory<byte>>(view, "Image")[1];

        Assert.True(MemoryMarshal.TryGetArray(second, out var segment));
        Assert.True(MemoryMarshal.TryGetArray(dataset.Images, out var whole));
        Assert.Same(whole.Array, segment.Array);
        Assert.Equal(dataset.PixelsPerImage, segment.Offset);
    }
}
