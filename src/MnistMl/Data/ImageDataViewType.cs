using MnistMl.Imaging;

namespace MnistMl.Data;

/// <summary>
/// A decoded picture of any size, as <c>ml.Transforms.LoadImages</c> produces it: read with a
/// <see cref="ValueGetter{TValue}"/> of <see cref="GrayImage"/>. <c>ml.Transforms.NormalizeDigits</c>
/// turns it into MNIST's Byte <c>[28, 28]</c>. There is one instance.
/// </summary>
public sealed class ImageDataViewType : DataViewType
{
    private ImageDataViewType()
        : base(typeof(GrayImage))
    {
    }

    /// <summary>The image type.</summary>
    public static ImageDataViewType Instance { get; } = new();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => typeof(GrayImage).GetHashCode();

    /// <summary><c>Image</c>.</summary>
    public override string ToString() => "Image";
}
