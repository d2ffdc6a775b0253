using MnistMl.Evaluation;

namespace MnistMl.Tests.Evaluation;

public class MulticlassClassificationMetricsTests
{
    // float scores such as 0.7f differ from 0.7 by about 1e-8, so logarithms are compared to 6 places.
    private const int Places = 6;

    private static MulticlassClassificationMetrics Unbalanced(int topK = 0) =>
        MulticlassClassificationMetrics.Compute(
            UnbalancedThreeClassCase.Labels, UnbalancedThreeClassCase.Scores, UnbalancedThreeClassCase.ClassCount, topK);

    [Fact]
    public void MicroAccuracy_is_the_fraction_of_rows_predicted_correctly()
    {
        // Rows 0, 1 and 3 are right, rows 2 and 4 wrong: 3 / 5.
        var metrics = Unbalanced();

        Assert.Equal(0.6, metrics.MicroAccuracy, 15);
        Assert.Equal(5, metrics.Count);
    }

    [Fact]
    public void MacroAccuracy_is_the_mean_of_the_per_class_recalls()
    {
        // Recalls: class 0 → 2/3, class 1 → 1/1, class 2 → 0/1; mean (2/3 + 1 + 0) / 3 = 5/9.
        Assert.Equal(5.0 / 9, Unbalanced().MacroAccuracy, 15);
    }

    [Fact]
    public void MacroAccuracy_leaves_out_classes_absent_from_the_labels()
    {
        // Class 2 has no rows. Class 0: rows 0 (right) and 1 (predicted 1) → 1/2; class 1: row 2 right → 1.
        // Mean over the two present classes: (1/2 + 1) / 2 = 0.75, not (1/2 + 1 + 0) / 3.
        var metrics = MulticlassClassificationMetrics.Compute(
            [0, 0, 1],
            [0.8f, 0.1f, 0.1f,
             0.3f, 0.6f, 0.1f,
             0.1f, 0.7f, 0.2f],
            classCount: 3);

        Assert.Equal(0.75, metrics.MacroAccuracy, 15);
    }

    [Fact]
    public void LogLoss_is_the_mean_negative_log_probability_of_the_true_class()
    {
        // (0.356675 + 0.510826 + 1.609438 + 0.223144 + 0.916291) / 5 = 3.616373 / 5 = 0.723275.
        Assert.Equal(0.723275, Unbalanced().LogLoss, Places);
    }

    [Fact]
    public void LogLoss_clamps_a_zero_probability_to_1e_15()
    {
        // p(true) = 0 counts as 1e-15: −ln 1e-15 = 15 ln 10 = 34.538776.
        var metrics = MulticlassClassificationMetrics.Compute([0], [0f, 1f], classCount: 2);

        Assert.Equal(34.538776, metrics.LogLoss, Places);
    }

    [Fact]
    public void LogLossReduction_compares_the_log_loss_with_that_of_the_label_frequencies()
    {
        // Prior frequencies 3/5, 1/5, 1/5: H = −(0.6 ln 0.6 + 2 × 0.2 ln 0.2) = 0.306495 + 0.643775 = 0.950271.
        // Reduction = 1 − 0.723275 / 0.950271 = 1 − 0.761125 = 0.238875.
        Assert.Equal(0.238875, Unbalanced().LogLossReduction, Places);
    }

    [Fact]
    public void LogLossReduction_is_zero_when_the_labels_hold_a_single_class()
    {
        // Both rows are class 1: the prior's log loss is −1 × ln 1 = 0 and the ratio is undefined.
        // The log loss itself is still (−ln 0.8 − ln 0.5) / 2 = (0.223144 + 0.693147) / 2 = 0.458145.
        var metrics = MulticlassClassificationMetrics.Compute([1, 1], [0.2f, 0.8f, 0.5f, 0.5f], classCount: 2);

        Assert.Equal(0, metrics.LogLossReduction);
        Assert.Equal(0.458145, metrics.LogLoss, Places);
    }

    [Fact]
    public void PerClassLogLoss_averages_over_the_rows_of_each_true_class()
    {
        // Class 0: (0.356675 + 0.510826 + 1.609438) / 3 = 0.825646; class 1: 0.223144; class 2: 0.916291.
        var perClass = Unbalanced().PerClassLogLoss;

        Assert.Equal(3, perClass.Count);
        Assert.Equal(0.825646, perClass[0], Places);
        Assert.Equal(0.223144, perClass[1], Places);
        Assert.Equal(0.916291, perClass[2], Places);
    }

    [Fact]
    public void PerClassLogLoss_is_NaN_for_a_class_without_rows()
    {
        // Only class 0 has a row: −ln 0.5 = 0.693147; classes 1 and 2 have nothing to average.
        var metrics = MulticlassClassificationMetrics.Compute([0], [0.5f, 0.25f, 0.25f], classCount: 3);

        Assert.Equal(0.693147, metrics.PerClassLogLoss[0], Places);
        Assert.True(double.IsNaN(metrics.PerClassLogLoss[1]));
        Assert.True(double.IsNaN(metrics.PerClassLogLoss[2]));
    }

    [Fact]
    public void TopKAccuracy_for_K_2_counts_the_true_class_among_the_two_highest_scores()
    {
        // Ranks of the true class: 0, 0, 2, 0, 1. Within top 1: 3 of 5 = 0.6; within top 2: 4 of 5 = 0.8.
        var metrics = Unbalanced(topK: 2);

        Assert.Equal(2, metrics.TopKPredictionCount);
        Assert.Equal(0.8, metrics.TopKAccuracy!.Value, 15);
        Assert.Equal([0.6, 0.8], metrics.TopKAccuracyForAllK);
    }

    [Fact]
    public void TopKAccuracy_is_not_computed_when_K_is_zero()
    {
        var metrics = Unbalanced();

        Assert.Equal(0, metrics.TopKPredictionCount);
        Assert.Null(metrics.TopKAccuracy);
        Assert.Empty(metrics.TopKAccuracyForAllK);
    }

    [Fact]
    public void Ties_go_to_the_lower_class_for_prediction_and_rank_alike()
    {
        // Class 1 is true and ties class 0 at 0.4: the argmax picks class 0 (wrong), and class 1
        // ranks second (class 0 ties and has the lower index), so it is within top 2.
        var metrics = MulticlassClassificationMetrics.Compute([1], [0.4f, 0.4f, 0.2f], classCount: 3, topKPredictionCount: 2);

        Assert.Equal(0, metrics.MicroAccuracy);
        Assert.Equal([0.0, 1.0], metrics.TopKAccuracyForAllK);
        Assert.Equal(1, metrics.ConfusionMatrix.Counts[1][0]);
    }

    [Fact]
    public void Compute_rejects_a_label_outside_the_classes_naming_the_row()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            MulticlassClassificationMetrics.Compute([0, 3], [0.5f, 0.5f, 0f, 0.5f, 0.5f, 0f], classCount: 3));

        Assert.Equal("labels", error.ParamName);
        Assert.StartsWith("Row 1: label 3 is not a class in 0–2.", error.Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Compute_rejects_a_score_that_is_not_finite_naming_the_row(float bad, string shown)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            MulticlassClassificationMetrics.Compute([0, 1], [0.5f, 0.5f, 0.5f, bad], classCount: 2));

        Assert.Equal("scores", error.ParamName);
        Assert.StartsWith($"Row 1: the score of class 1 is {shown}; scores must be finite.", error.Message);
    }

    [Fact]
    public void Compute_rejects_scores_that_do_not_fill_every_row()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            MulticlassClassificationMetrics.Compute([0, 1], [0.5f, 0.5f, 0.5f], classCount: 2));

        Assert.Equal("scores", error.ParamName);
        Assert.StartsWith("2 rows of 2 classes need 4 scores, one row of 2 per label; got 3.", error.Message);
    }

    [Fact]
    public void Compute_rejects_no_rows()
    {
        var error = Assert.Throws<ArgumentException>(() => MulticlassClassificationMetrics.Compute([], [], classCount: 2));

        Assert.Equal("labels", error.ParamName);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void Compute_rejects_a_K_outside_zero_to_the_class_count(int topK)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Unbalanced(topK));

        Assert.Equal("topKPredictionCount", error.ParamName);
        Assert.Contains("from 0 (not computed) to the number of classes, 3.", error.Message);
    }

    [Fact]
    public void Compute_rejects_fewer_than_one_class()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassClassificationMetrics.Compute([], [], classCount: 0));
    }
}
