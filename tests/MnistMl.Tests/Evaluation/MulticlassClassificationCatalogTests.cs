using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Evaluation;

public class MulticlassClassificationCatalogTests
{
    private const int Places = 6;
    private readonly MnistContext _ml = new();

    private static ByteLabelRow[] UnbalancedRows() =>
        [.. UnbalancedThreeClassCase.Labels.Select((label, row) => new ByteLabelRow
        {
            Label = (byte)label,
            Score = UnbalancedThreeClassCase.ScoresOf(row),
            PredictedLabel = Array.IndexOf(UnbalancedThreeClassCase.ScoresOf(row), UnbalancedThreeClassCase.ScoresOf(row).Max()),
        })];

    /// <summary>The metrics worked out in <see cref="UnbalancedThreeClassCase"/>, with K = 2.</summary>
    private static void AssertUnbalancedMetrics(MulticlassClassificationMetrics metrics)
    {
        Assert.Equal(5, metrics.Count);
        Assert.Equal(0.6, metrics.MicroAccuracy, 15);
        Assert.Equal(5.0 / 9, metrics.MacroAccuracy, 15);
        Assert.Equal(0.723275, metrics.LogLoss, Places);
        Assert.Equal(0.238875, metrics.LogLossReduction, Places);
        Assert.Equal([0.6, 0.8], metrics.TopKAccuracyForAllK);
        Assert.Equal([[2L, 1, 0], [0L, 1, 0], [1L, 0, 0]], metrics.ConfusionMatrix.Counts.Select(row => row.ToArray()));
    }

    [Fact]
    public void Evaluate_with_byte_labels_gives_the_hand_computed_metrics()
    {
        var view = _ml.Data.LoadFromEnumerable(UnbalancedRows());

        AssertUnbalancedMetrics(_ml.MulticlassClassification.Evaluate(view, topKPredictionCount: 2));
    }

    [Fact]
    public void Evaluate_with_one_hot_labels_and_no_predicted_label_gives_the_same_metrics()
    {
        var rows = UnbalancedThreeClassCase.Labels.Select((label, row) => new OneHotLabelRow
        {
            Label = [.. Enumerable.Range(0, 3).Select(c => c == label ? 1f : 0f)],
            Score = UnbalancedThreeClassCase.ScoresOf(row),
        });
        var view = _ml.Data.LoadFromEnumerable(rows.ToArray());

        AssertUnbalancedMetrics(_ml.MulticlassClassification.Evaluate(view, topKPredictionCount: 2));
    }

    [Fact]
    public void Evaluate_reads_labels_encoded_by_the_OneHot_transform()
    {
        var view = _ml.Data.LoadFromEnumerable(UnbalancedRows());
        var encoded = _ml.Transforms.OneHot("Label", classCount: 3).Fit(view).Transform(view);

        AssertUnbalancedMetrics(_ml.MulticlassClassification.Evaluate(encoded, topKPredictionCount: 2));
    }

    [Fact]
    public void Evaluate_reads_any_integer_label_type_and_the_named_columns()
    {
        // Row 0 is class 1 and right; row 1 is class 0 and predicted 1: accuracy 1/2.
        var view = _ml.Data.LoadFromEnumerable(new[]
        {
            new CustomNamedRow { Digit = 1, Probabilities = [0.3f, 0.7f] },
            new CustomNamedRow { Digit = 0, Probabilities = [0.4f, 0.6f] },
        });

        var metrics = _ml.MulticlassClassification.Evaluate(view, labelColumnName: "Digit", scoreColumnName: "Probabilities", predictedLabelColumnName: "Guess");

        Assert.Equal(0.5, metrics.MicroAccuracy);
        Assert.Equal([[0L, 1], [0L, 1]], metrics.ConfusionMatrix.Counts.Select(row => row.ToArray()));
    }

    [Fact]
    public void Evaluate_of_a_trained_pipeline_with_one_hot_labels_agrees_with_its_predicted_labels()
    {
        var ml = new MnistContext(seed: 4);
        var test = MnistTestData.Slice(MnistTestData.Test, 0, 600);
        var data = ml.Data.LoadMnist(test);
        var trained = ml.Transforms.ScalePixels()
            .Append(ml.Transforms.OneHot("Label"))
            .Append(ml.Trainers.Cnn(o =>
            {
                o.Preset = "mlp";
                o.Epochs = 1;
            }))
            .Fit(data);
        var scored = trained.Transform(data);

        var metrics = ml.MulticlassClassification.Evaluate(scored, topKPredictionCount: 10);

        // The metrics take the argmax of Score; the transformer's PredictedLabel is the same argmax.
        var labels = test.Labels.ToArray();
        var predicted = SyntheticMnist.ReadColumn<int>(scored, "PredictedLabel");
        var expectedCounts = new long[10][];
        for (var c = 0; c < 10; c++)
        {
            expectedCounts[c] = new long[10];
        }

        for (var i = 0; i < labels.Length; i++)
        {
            expectedCounts[labels[i]][predicted[i]]++;
        }

        Assert.Equal(600, metrics.Count);
        Assert.Equal(Enumerable.Range(0, 600).Count(i => labels[i] == predicted[i]) / 600.0, metrics.MicroAccuracy);
        Assert.Equal(expectedCounts, metrics.ConfusionMatrix.Counts.Select(row => row.ToArray()));
        Assert.Equal(1.0, metrics.TopKAccuracy);
    }

    [Fact]
    public void Evaluate_rejects_a_missing_score_column_listing_the_columns()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new CustomNamedRow { Probabilities = [1f, 0f] } });

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.MulticlassClassification.Evaluate(view, labelColumnName: "Digit"));

        Assert.Equal("Score", error.ColumnName);
        Assert.Equal("There is no column 'Score'. The columns are: Digit: UInt32, Probabilities: Vector<Single, 2>.", error.Message);
    }

    [Fact]
    public void Evaluate_rejects_a_missing_label_column()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new CustomNamedRow { Probabilities = [1f, 0f] } });

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.MulticlassClassification.Evaluate(view, scoreColumnName: "Probabilities"));

        Assert.Equal("Label", error.ColumnName);
        Assert.StartsWith("There is no column 'Label'.", error.Message);
    }

    [Fact]
    public void Evaluate_rejects_a_label_that_is_neither_an_integer_nor_a_one_hot_vector()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new SingleLabelRow { Score = [1f, 0f, 0f] } });

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.MulticlassClassification.Evaluate(view));

        Assert.Equal("Label", error.ColumnName);
        Assert.Equal(
            "Column 'Label' has type Single, but multiclass evaluation needs an integer scalar (Byte, SByte, Int16, UInt16, Int32, UInt32, Int64, UInt64) " +
            "or a one-hot Single vector of 3 values, one per class of column 'Score'.",
            error.Message);
    }

    [Fact]
    public void Evaluate_rejects_a_one_hot_label_of_another_length_than_the_scores()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new ShortOneHotLabelRow { Label = [1f, 0f], Score = [1f, 0f, 0f] } });

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.MulticlassClassification.Evaluate(view));

        Assert.Equal("Label", error.ColumnName);
        Assert.StartsWith("Column 'Label' has type Vector<Single, 2>, but multiclass evaluation needs an integer scalar (", error.Message);
        Assert.EndsWith("or a one-hot Single vector of 3 values, one per class of column 'Score'.", error.Message);
    }

    [Fact]
    public void Evaluate_rejects_scores_that_are_not_a_fixed_size_Single_vector()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new DoubleScoreRow { Score = [1.0, 0.0] } });

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.MulticlassClassification.Evaluate(view));

        Assert.Equal("Score", error.ColumnName);
        Assert.Equal("Column 'Score' has type Vector<Double, 2>, but multiclass evaluation needs a fixed-size Single vector (a probability per class).", error.Message);
    }

    [Fact]
    public void Evaluate_rejects_a_predicted_label_that_is_not_an_integer()
    {
        var view = _ml.Data.LoadFromEnumerable(new[] { new SinglePredictedLabelRow { Score = [1f, 0f] } });

        var error = Assert.Throws<SchemaMismatchException>(() => _ml.MulticlassClassification.Evaluate(view));

        Assert.Equal("PredictedLabel", error.ColumnName);
        Assert.StartsWith("Column 'PredictedLabel' has type Single, but multiclass evaluation needs an integer scalar (Byte,", error.Message);
    }

    [Fact]
    public void Evaluate_reports_a_label_outside_the_classes_with_its_row_and_column()
    {
        var rows = UnbalancedRows();
        rows[3].Label = 7;
        var view = _ml.Data.LoadFromEnumerable(rows);

        var error = Assert.Throws<DataValueException>(() => _ml.MulticlassClassification.Evaluate(view));

        Assert.Equal("Row 3, column 'Label': label 7 is not a class in 0–2.", error.Message);
    }

    [Fact]
    public void Evaluate_reports_a_score_that_is_not_finite_with_its_row_and_column()
    {
        var rows = UnbalancedRows();
        rows[2].Score[1] = float.NaN;
        var view = _ml.Data.LoadFromEnumerable(rows);

        var error = Assert.Throws<DataValueException>(() => _ml.MulticlassClassification.Evaluate(view));

        Assert.Equal("Row 2, column 'Score': the score of class 1 is NaN; scores must be finite.", error.Message);
    }

    [Fact]
    public void Evaluate_reports_a_one_hot_label_that_names_no_class()
    {
        var view = _ml.Data.LoadFromEnumerable(new[]
        {
            new OneHotLabelRow { Label = [0f, 1f, 0f], Score = [0.2f, 0.7f, 0.1f] },
            new OneHotLabelRow { Label = [0f, 0f, 0f], Score = [0.2f, 0.7f, 0.1f] },
        });

        var error = Assert.Throws<DataValueException>(() => _ml.MulticlassClassification.Evaluate(view));

        Assert.Equal("Row 1, column 'Label': the one-hot label has no positive value, so it names no class.", error.Message);
    }

    [Fact]
    public void Evaluate_rejects_a_view_without_rows()
    {
        var view = _ml.Data.LoadFromEnumerable(Array.Empty<ByteLabelRow>());

        var error = Assert.Throws<ArgumentException>(() => _ml.MulticlassClassification.Evaluate(view));

        Assert.Equal("data", error.ParamName);
    }

    [Fact]
    public void Evaluate_rejects_a_K_greater_than_the_number_of_classes()
    {
        var view = _ml.Data.LoadFromEnumerable(UnbalancedRows());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.MulticlassClassification.Evaluate(view, topKPredictionCount: 4));

        Assert.Equal("topKPredictionCount", error.ParamName);
    }

    private sealed class ByteLabelRow
    {
        public byte Label { get; set; }

        [VectorShape(3)]
        public float[] Score { get; set; } = [];

        public int PredictedLabel { get; set; }
    }

    private sealed class OneHotLabelRow
    {
        [VectorShape(3)]
        public float[] Label { get; set; } = [];

        [VectorShape(3)]
        public float[] Score { get; set; } = [];
    }

    private sealed class ShortOneHotLabelRow
    {
        [VectorShape(2)]
        public float[] Label { get; set; } = [];

        [VectorShape(3)]
        public float[] Score { get; set; } = [];
    }

    private sealed class CustomNamedRow
    {
        public uint Digit { get; set; }

        [VectorShape(2)]
        public float[] Probabilities { get; set; } = [];
    }

    private sealed class SingleLabelRow
    {
        public float Label { get; set; }

        [VectorShape(3)]
        public float[] Score { get; set; } = [];
    }

    private sealed class DoubleScoreRow
    {
        public int Label { get; set; }

        [VectorShape(2)]
        public double[] Score { get; set; } = [];
    }

    private sealed class SinglePredictedLabelRow
    {
        public int Label { get; set; }

        [VectorShape(2)]
        public float[] Score { get; set; } = [];

        public float PredictedLabel { get; set; }
    }
}
