using MnistMl.Evaluation;

namespace MnistMl.Tests.Evaluation;

public class ConfusionMatrixTests
{
    private static ConfusionMatrix Unbalanced() =>
        MulticlassClassificationMetrics.Compute(
            UnbalancedThreeClassCase.Labels, UnbalancedThreeClassCase.Scores, UnbalancedThreeClassCase.ClassCount).ConfusionMatrix;

    [Fact]
    public void Counts_have_true_classes_as_rows_and_predicted_classes_as_columns()
    {
        // Truth 0 predicted 0, 0, 1; truth 1 predicted 1; truth 2 predicted 0.
        var matrix = Unbalanced();

        Assert.Equal(3, matrix.ClassCount);
        Assert.Equal(5, matrix.Total);
        Assert.Equal([[2L, 1, 0], [0L, 1, 0], [1L, 0, 0]], matrix.Counts.Select(row => row.ToArray()));
    }

    [Fact]
    public void PerClassPrecision_divides_each_diagonal_count_by_its_column_total()
    {
        // Columns: class 0 predicted 3 times (2 right) → 2/3; class 1 twice (1 right) → 1/2;
        // class 2 never → 0/0, defined as 0.
        var precision = Unbalanced().PerClassPrecision;

        Assert.Equal(2.0 / 3, precision[0], 15);
        Assert.Equal(0.5, precision[1], 15);
        Assert.Equal(0, precision[2]);
    }

    [Fact]
    public void PerClassRecall_divides_each_diagonal_count_by_its_row_total()
    {
        // Rows: class 0 has 3 rows (2 right) → 2/3; class 1 has 1 (right) → 1; class 2 has 1 (wrong) → 0.
        var recall = Unbalanced().PerClassRecall;

        Assert.Equal(2.0 / 3, recall[0], 15);
        Assert.Equal(1, recall[1], 15);
        Assert.Equal(0, recall[2]);
    }

    [Fact]
    public void PerClassF1_is_the_harmonic_mean_of_precision_and_recall_and_zero_for_zero_over_zero()
    {
        // Class 0: 2 × (2/3)(2/3) / (4/3) = 2/3. Class 1: 2 × (1/2)(1) / (3/2) = 2/3.
        // Class 2: precision 0 and recall 0, so 2 × 0 / 0 is defined as 0.
        var f1 = Unbalanced().PerClassF1;

        Assert.Equal(2.0 / 3, f1[0], 15);
        Assert.Equal(2.0 / 3, f1[1], 15);
        Assert.Equal(0, f1[2]);
    }

    [Fact]
    public void Ratios_of_a_class_with_no_rows_and_no_predictions_are_zero()
    {
        // Both rows are class 0 and predicted 0; class 1 appears nowhere, so all its ratios are 0/0.
        var matrix = MulticlassClassificationMetrics.Compute([0, 0], [0.9f, 0.1f, 0.8f, 0.2f], classCount: 2).ConfusionMatrix;

        Assert.Equal([1.0, 0.0], matrix.PerClassPrecision);
        Assert.Equal([1.0, 0.0], matrix.PerClassRecall);
        Assert.Equal([1.0, 0.0], matrix.PerClassF1);
    }

    [Fact]
    public void GetFormattedConfusionTable_shows_counts_totals_recall_precision_and_F1()
    {
        var expected = """
            Confusion table (rows: truth, columns: predicted)
                      ||============================================
            PREDICTED ||      0 |      1 |      2 ||  Total | Recall
            TRUTH     ||============================================
                    0 ||      2 |      1 |      0 ||      3 | 0.6667
                    1 ||      0 |      1 |      0 ||      1 | 1.0000
                    2 ||      1 |      0 |      0 ||      1 | 0.0000
                      ||============================================
            Total     ||      3 |      2 |      0 ||      5 |
            Precision || 0.6667 | 0.5000 | 0.0000 ||
            F1        || 0.6667 | 0.6667 | 0.0000 ||

            """;

        Assert.Equal(expected, Unbalanced().GetFormattedConfusionTable());
    }

    [Fact]
    public void GetFormattedConfusionTable_widens_every_cell_for_a_count_of_more_than_six_digits()
    {
        // 1,234,567 rows of class 0, all predicted 0: seven digits set the width of every cell.
        var labels = new int[1_234_567];
        var scores = new float[labels.Length * 2];
        for (var i = 0; i < labels.Length; i++)
        {
            scores[2 * i] = 1;
        }

        var table = MulticlassClassificationMetrics.Compute(labels, scores, classCount: 2).ConfusionMatrix.GetFormattedConfusionTable();

        Assert.Contains("        0 || 1234567 |       0 || 1234567 | 1.0000\n", table);
        Assert.Contains("Precision ||  1.0000 |  0.0000 ||\n", table);
    }
}
