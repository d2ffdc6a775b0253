using MnistMl.Transforms;

namespace MnistMl;

/// <summary>Label transforms on <see cref="MnistContext.Transforms"/>: one-hot encoding.</summary>
public static class LabelTransformsCatalog
{
    /// <summary>Replaces integer label column <paramref name="columnName"/> by its one-hot Single vector <c>[classCount]</c>.</summary>
    /// <param name="catalog">The context's transforms.</param>
    /// <param name="columnName">The label column, read and written.</param>
    /// <param name="classCount">Number of classes; labels must be in 0 … classCount − 1.</param>
    public static OneHotEncodingEstimator OneHot(
        this TransformsCatalog catalog,
        string columnName = OneHotEncodingEstimator.Options.Defaults.ColumnName,
        int classCount = OneHotEncodingEstimator.Options.Defaults.ClassCount)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new OneHotEncodingEstimator(new OneHotEncodingEstimator.Options { InputColumnName = columnName, ClassCount = classCount });
    }

    /// <summary>One-hot encodes a label as <paramref name="options"/> say (e.g. into a new column).</summary>
    public static OneHotEncodingEstimator OneHot(this TransformsCatalog catalog, OneHotEncodingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new OneHotEncodingEstimator(options);
    }
}
