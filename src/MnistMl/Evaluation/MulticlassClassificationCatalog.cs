using System.Diagnostics.CodeAnalysis;
using MnistMl.Data;
using MnistMl.Training;

namespace MnistMl.Evaluation;

/// <summary>
/// <see cref="MnistContext.MulticlassClassification"/>: evaluating classifiers that choose one of
/// several classes, such as the ten digits.
/// </summary>
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Catalog operations are reached through the context (ml.MulticlassClassification.X), as in ML.NET.")]
public sealed class MulticlassClassificationCatalog
{
    internal MulticlassClassificationCatalog(MnistContext context)
    {
        Context = context;
    }

    /// <summary>The context the catalog belongs to.</summary>
    internal MnistContext Context { get; }

    /// <summary>
    /// Computes the <see cref="MulticlassClassificationMetrics"/> of a scored view, reading one row
    /// at a time. The predicted class of each row is the argmax of its scores (the first class on a
    /// tie); the predicted-label column is not read, so it may be absent, and when present it is only
    /// checked to be an integer scalar.
    /// </summary>
    /// <param name="data">The scored rows, e.g. a trained pipeline's <c>Transform</c> of test data.</param>
    /// <param name="labelColumnName">The true class: an integer scalar (Byte, Int32, UInt32, ...) or a one-hot Single vector as long as the scores, whose largest value (the first on a tie) names the class.</param>
    /// <param name="scoreColumnName">The class probabilities: a fixed-size Single vector, whose size is the number of classes.</param>
    /// <param name="predictedLabelColumnName">The predicted class, if the view has it: an integer scalar.</param>
    /// <param name="topKPredictionCount">K of <see cref="MulticlassClassificationMetrics.TopKAccuracy"/>, 0 … the number of classes; 0 (the default) to not compute it.</param>
    /// <exception cref="SchemaMismatchException">The label or score column is missing, or a column has another type than described; the message names the column and both types.</exception>
    /// <exception cref="DataValueException">A row's label is not a class or a score is not finite; the message names the row and column.</exception>
    /// <exception cref="ArgumentOutOfRangeException">K is negative or exceeds the number of classes.</exception>
    /// <exception cref="ArgumentException">The view has no rows.</exception>
    /// <example>
    /// <code>
    /// var ml = new MnistContext(seed: 42);
    /// var scored = trainedModel.Transform(ml.Data.LoadMnist(testSet));
    /// var metrics = ml.MulticlassClassification.Evaluate(scored, topKPredictionCount: 3);
    /// Console.WriteLine($"accuracy {metrics.MicroAccuracy:P2}, log loss {metrics.LogLoss:F4}");
    /// Console.Write(metrics.ConfusionMatrix.GetFormattedConfusionTable());
    /// </code>
    /// </example>
    public MulticlassClassificationMetrics Evaluate(
        IDataView data,
        string labelColumnName = MnistColumnNames.Label,
        string scoreColumnName = MulticlassPredictionTransformer.ScoreColumnName,
        string predictedLabelColumnName = MulticlassPredictionTransformer.PredictedLabelColumnName,
        int topKPredictionCount = 0) =>
        ScoredDataEvaluator.Evaluate(data, labelColumnName, scoreColumnName, predictedLabelColumnName, topKPredictionCount);
}
