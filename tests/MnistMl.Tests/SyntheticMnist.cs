using MnistMl.Data;

namespace MnistMl.Tests;

/// <summary>Small MNIST-shaped datasets with known contents, so tests need no files.</summary>
internal static class SyntheticMnist
{
    /// <summary>Pixel <c>p</c> of image <c>i</c> is <see cref="Pixel"/>; label <c>i</c> is <c>i % classCount</c>.</summary>
    public static MnistDataset Create(int count, int rows = 3, int columns = 2, int classCount = 10)
    {
        var pixels = rows * columns;
        var images = new byte[count * pixels];
        for (var i = 0; i < images.Length; i++)
        {
            images[i] = Pixel(i / pixels, i % pixels);
        }

        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % classCount);
        }

        return new MnistDataset(images, labels, rows, columns, classCount);
    }

    public static byte Pixel(int image, int pixel) => (byte)((image * 31) + (pixel * 7));
}
