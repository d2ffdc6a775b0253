namespace MnistMl.Data;

/// <summary>The column names of an MNIST view, which the transforms and batch sources use as their defaults.</summary>
public static class MnistColumnNames
{
    /// <summary>The class of each image: a Byte scalar, 0–9 for digits.</summary>
    public const string Label = "Label";

    /// <summary>The pixels of each image: a Byte vector <c>[rows, columns]</c>, 0 = background, 255 = ink.</summary>
    public const string Image = "Image";
}
