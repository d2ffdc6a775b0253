using MnistMl.Data;

namespace MnistMl;

/// <summary>Looking at a view's rows, as ML.NET's <c>Preview()</c> does.</summary>
public static class DataPreviewExtensions
{
    /// <summary>Reads the first <paramref name="maxRows"/> rows of <paramref name="data"/> into a <see cref="DataPreview"/>.</summary>
    /// <example>
    /// <code>
    /// Console.WriteLine(ml.Data.LoadMnist(dataset).Preview(2));
    /// // Expected output (for 2×2 images):
    /// // 2 rows of Label: Byte, Image: Vector&lt;Byte, 2, 2&gt;
    /// // [0] Label: 5 | Image: [0, 12, 255, 3]
    /// // [1] Label: 0 | Image: [7, 0, 0, 9]
    /// </code>
    /// </example>
    public static DataPreview Preview(this IDataView data, int maxRows = DataPreview.DefaultMaxRows)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        return new DataPreview(data, maxRows);
    }
}
