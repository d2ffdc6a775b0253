using System.Globalization;
using System.Text;
using Microsoft.ML.Data;

namespace MnistMl.Evaluation;

/// <summary>What ML.NET's multiclass metrics leave out and a digit report shows, computed from them.</summary>
public static class MulticlassMetricsExtensions
{
    /// <summary>How many rows were evaluated: the sum of the confusion matrix.</summary>
    public static long Count(this MulticlassClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.ConfusionMatrix.Counts.Sum(row => row.Sum(c => (long)c));
    }

    /// <summary>How many rows of each class there were (the confusion matrix's row sums).</summary>
    public static IReadOnlyList<long> PerClassCount(this ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return [.. matrix.Counts.Select(row => row.Sum(c => (long)c))];
    }

    /// <summary>F1 of each class, the harmonic mean of its precision and recall (0 where both are 0).</summary>
    public static IReadOnlyList<double> PerClassF1(this ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return [.. matrix.PerClassPrecision.Zip(matrix.PerClassRecall, (p, r) => p + r > 0 ? 2 * p * r / (p + r) : 0)];
    }

    /// <summary>A plain-text table of each class's count, precision, recall and F1.</summary>
    public static string GetFormattedPerClassTable(this ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var counts = matrix.PerClassCount();
        var f1 = matrix.PerClassF1();
        var text = new StringBuilder("class    count  precision  recall      F1\n");
        for (var c = 0; c < matrix.NumberOfClasses; c++)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{c,5} {counts[c],8:N0} {matrix.PerClassPrecision[c],10:F4} {matrix.PerClassRecall[c],7:F4} {f1[c],7:F4}\n"));
        }

        return text.ToString();
    }
}
