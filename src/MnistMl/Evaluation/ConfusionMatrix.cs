using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace MnistMl.Evaluation;

/// <summary>
/// How often each true class was predicted as each class: <see cref="Counts"/>[t][p] rows are
/// the true class t, columns the predicted class p (the argmax of the scores), so the diagonal
/// holds the correct predictions. Per-class precision, recall and F1 follow from the counts;
/// each ratio whose denominator is 0 (a class never predicted, never present, or both) is defined
/// as 0. Immutable.
/// </summary>
public sealed class ConfusionMatrix
{
    // Enough for "0.0000", "Recall" and "Total"; wider when a count or class index needs it.
    private const int MinCellWidth = 6;

    private readonly ImmutableArray<long> _rowTotals;
    private readonly ImmutableArray<long> _columnTotals;

    internal ConfusionMatrix(int classCount, ReadOnlySpan<long> counts)
    {
        ClassCount = classCount;
        var rows = ImmutableArray.CreateBuilder<IReadOnlyList<long>>(classCount);
        var rowTotals = new long[classCount];
        var columnTotals = new long[classCount];
        for (var t = 0; t < classCount; t++)
        {
            var row = counts.Slice(t * classCount, classCount);
            rows.Add(ImmutableArray.Create(row));
            for (var p = 0; p < classCount; p++)
            {
                rowTotals[t] += row[p];
                columnTotals[p] += row[p];
            }
        }

        Counts = rows.MoveToImmutable();
        _rowTotals = [.. rowTotals];
        _columnTotals = [.. columnTotals];
        Total = rowTotals.Sum();

        var precision = new double[classCount];
        var recall = new double[classCount];
        var f1 = new double[classCount];
        for (var c = 0; c < classCount; c++)
        {
            var correct = Counts[c][c];
            precision[c] = Ratio(correct, columnTotals[c]);
            recall[c] = Ratio(correct, rowTotals[c]);
            var sum = precision[c] + recall[c];
            f1[c] = sum == 0 ? 0 : 2 * precision[c] * recall[c] / sum;
        }

        PerClassPrecision = [.. precision];
        PerClassRecall = [.. recall];
        PerClassF1 = [.. f1];
    }

    /// <summary>Number of classes: the number of rows and of columns.</summary>
    public int ClassCount { get; }

    /// <summary>The counts: <c>Counts[trueClass][predictedClass]</c>.</summary>
    public IReadOnlyList<IReadOnlyList<long>> Counts { get; }

    /// <summary>Number of rows evaluated: the sum of all counts.</summary>
    public long Total { get; }

    /// <summary>
    /// For each class c, the fraction of the rows predicted as c that truly are c:
    /// <c>Counts[c][c] / Σₜ Counts[t][c]</c>; 0 when c was never predicted.
    /// </summary>
    public IReadOnlyList<double> PerClassPrecision { get; }

    /// <summary>
    /// For each class c, the fraction of the rows of true class c predicted as c (the class's
    /// accuracy): <c>Counts[c][c] / Σₚ Counts[c][p]</c>; 0 when no row is of class c.
    /// </summary>
    public IReadOnlyList<double> PerClassRecall { get; }

    /// <summary>
    /// For each class, the harmonic mean of its precision P and recall R, <c>2PR / (P + R)</c>;
    /// 0 when both are 0.
    /// </summary>
    public IReadOnlyList<double> PerClassF1 { get; }

    /// <summary>
    /// The matrix as a fixed-width text table, the way ML.NET prints one: a row per true class
    /// with its total and recall, a column per predicted class, then lines of the predicted totals,
    /// the precision and the F1 of each class. Lines end with a newline.
    /// </summary>
    /// <example>
    /// <code>
    /// Confusion table (rows: truth, columns: predicted)
    ///           ||============================================
    /// PREDICTED ||      0 |      1 |      2 ||  Total | Recall
    /// TRUTH     ||============================================
    ///         0 ||      2 |      1 |      0 ||      3 | 0.6667
    ///         1 ||      0 |      1 |      0 ||      1 | 1.0000
    ///         2 ||      1 |      0 |      0 ||      1 | 0.0000
    ///           ||============================================
    /// Total     ||      3 |      2 |      0 ||      5 |
    /// Precision || 0.6667 | 0.5000 | 0.0000 ||
    /// F1        || 0.6667 | 0.6667 | 0.0000 ||
    /// </code>
    /// </example>
    public string GetFormattedConfusionTable()
    {
        var width = Math.Max(MinCellWidth, Math.Max(Format(Total).Length, Format(ClassCount - 1).Length));
        var header = Line("PREDICTED", Enumerable.Range(0, ClassCount).Select(c => Format(c)), "Total".PadLeft(width) + " | Recall", width);
        var rule = new string('=', header.Length - 12);

        var table = new StringBuilder();
        table.Append("Confusion table (rows: truth, columns: predicted)\n");
        table.Append("          ||").Append(rule).Append('\n');
        table.Append(header).Append('\n');
        table.Append("TRUTH     ||").Append(rule).Append('\n');
        for (var t = 0; t < ClassCount; t++)
        {
            var totals = $"{Format(_rowTotals[t]).PadLeft(width)} | {FormatRatio(PerClassRecall[t])}";
            table.Append(Line(Format(t).PadLeft(9), Counts[t].Select(Format), totals, width)).Append('\n');
        }

        table.Append("          ||").Append(rule).Append('\n');
        table.Append(Line("Total", _columnTotals.Select(Format), Format(Total).PadLeft(width) + " |", width)).Append('\n');
        table.Append(Line("Precision", PerClassPrecision.Select(FormatRatio), "", width)).Append('\n');
        table.Append(Line("F1", PerClassF1.Select(FormatRatio), "", width)).Append('\n');
        return table.ToString();
    }

    /// <summary><c>"{head} ||"</c>, a cell <c>" {value} |"</c> per class, then <c>"| {tail}"</c>; without trailing spaces.</summary>
    private static string Line(string head, IEnumerable<string> cells, string tail, int width)
    {
        var line = new StringBuilder(head.PadRight(9)).Append(" ||");
        foreach (var cell in cells)
        {
            line.Append(' ').Append(cell.PadLeft(width)).Append(" |");
        }

        return line.Append("| ").Append(tail).ToString().TrimEnd();
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string FormatRatio(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
