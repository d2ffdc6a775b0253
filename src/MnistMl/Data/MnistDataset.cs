namespace MnistMl.Data;

/// <summary>
/// Images and labels of one MNIST-format split, kept as the bytes the IDX files hold:
/// <see cref="Images"/> is <c>Count × Rows × Columns</c> grey levels (0 = background, 255 = ink),
/// row-major; <see cref="Labels"/> is one class index per image.
/// </summary>
public sealed partial class MnistDataset
{
    /// <summary>Wraps validated arrays (no copy).</summary>
    /// <exception cref="ArgumentException">The array lengths disagree with the sizes, or a label is not below <paramref name="classCount"/>.</exception>
    public MnistDataset(byte[] images, byte[] labels, int rows, int columns, int classCount = 10)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if ((long)labels.Length * rows * columns != images.LongLength)
        {
            throw new ArgumentException(
                $"{images.LongLength} image bytes do not hold {labels.Length} images of {rows}×{columns}.", nameof(images));
        }

        var bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(classCount - 1));
        if (bad >= 0)
        {
            throw new ArgumentException($"Label {labels[bad]} at index {bad} is not a class in 0–{classCount - 1}.", nameof(labels));
        }

        Images = images;
        Labels = labels;
        Rows = rows;
        Columns = columns;
        ClassCount = classCount;
    }

    /// <summary>Number of images (and labels).</summary>
    public int Count => Labels.Length;

    /// <summary>Image height in pixels (28 for MNIST).</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels (28 for MNIST).</summary>
    public int Columns { get; }

    /// <summary>Number of classes (10 for digits).</summary>
    public int ClassCount { get; }

    /// <summary>Pixels per image, <c>Rows × Columns</c>.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>All images, <c>Count × Rows × Columns</c> bytes.</summary>
    public ReadOnlyMemory<byte> Images { get; }

    /// <summary>All labels, one byte each.</summary>
    public ReadOnlyMemory<byte> Labels { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> GetImage(int index) => Images.Span.Slice(checked(index * PixelsPerImage), PixelsPerImage);

    /// <summary>How many images each class has, indexed by class.</summary>
    public int[] CountLabels()
    {
        var counts = new int[ClassCount];
        foreach (var label in Labels.Span)
        {
            counts[label]++;
        }

        return counts;
    }
}
