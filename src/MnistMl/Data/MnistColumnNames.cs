namespace MnistMl.Data;

/// <summary>
/// The column names of an MNIST view and of the columns a trained classifier adds to it, which the
/// transforms, batch sources and evaluation use as their defaults.
/// </summary>
public static class MnistColumnNames
{
    /// <summary>The class of each image: a Byte scalar, 0–9 for digits.</summary>
    public const string Label = "Label";

    /// <summary>The pixels of each image: a Byte vector <c>[rows, columns]</c>, 0 = background, 255 = ink.</summary>
    public const string Image = "Image";

    /// <summary>What a classifier writes for each image: a Single vector <c>[classCount]</c> of class probabilities.</summary>
    public const string Score = "Score";

    /// <summary>What a classifier predicts for each image: an Int32 scalar, the class of the highest <see cref="Score"/>.</summary>
    public const string PredictedLabel = "PredictedLabel";
}
