namespace MnistMl.Evaluation;

/// <summary>
/// The quality of a multiclass classifier on labelled rows, named as ML.NET names it. Each row has
/// a true class and a score (probability) per class; the predicted class is the argmax of the
/// scores, the first (lowest) class on a tie. Made by <see cref="Compute"/> from arrays or by
/// <see cref="MulticlassClassificationCatalog.Evaluate"/> from a scored data view. Immutable.
/// </summary>
/// <example>
/// <code>
/// // Two rows of three classes: row 0 is class 0 and predicted 0, row 1 is class 2 and predicted 1.
/// var metrics = MulticlassClassificationMetrics.Compute(
///     labels: [0, 2],
///     scores: [0.7f, 0.2f, 0.1f,
///              0.2f, 0.5f, 0.3f],
///     classCount: 3,
///     topKPredictionCount: 2);
/// Console.WriteLine(metrics.MicroAccuracy);   // 0.5
/// Console.WriteLine(metrics.TopKAccuracy);    // 1 (class 2 has the second highest score)
/// Console.Write(metrics.ConfusionMatrix.GetFormattedConfusionTable());
/// </code>
/// </example>
public sealed class MulticlassClassificationMetrics
{
    internal MulticlassClassificationMetrics(
        long count,
        double microAccuracy,
        double macroAccuracy,
        double logLoss,
        double logLossReduction,
        double[] topKAccuracyForAllK,
        double[] perClassLogLoss,
        ConfusionMatrix confusionMatrix)
    {
        Count = count;
        MicroAccuracy = microAccuracy;
        MacroAccuracy = macroAccuracy;
        LogLoss = logLoss;
        LogLossReduction = logLossReduction;
        TopKPredictionCount = topKAccuracyForAllK.Length;
        TopKAccuracyForAllK = [.. topKAccuracyForAllK];
        TopKAccuracy = topKAccuracyForAllK.Length == 0 ? null : topKAccuracyForAllK[^1];
        PerClassLogLoss = [.. perClassLogLoss];
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>Number of rows evaluated.</summary>
    public long Count { get; }

    /// <summary>The fraction of rows whose predicted class is their true class.</summary>
    public double MicroAccuracy { get; }

    /// <summary>
    /// The mean, over the classes present among the true labels, of each class's accuracy (its
    /// recall: the fraction of its rows predicted as it). Every class weighs the same however many
    /// rows it has; a class with no rows is left out rather than counted as 0.
    /// </summary>
    public double MacroAccuracy { get; }

    /// <summary>
    /// The mean over rows of −ln p, where p is the score of the row's true class, raised to at
    /// least 1e−15 as ML.NET does so that one confident mistake costs about 34.54, not infinity.
    /// 0 is perfect; lower is better.
    /// </summary>
    public double LogLoss { get; }

    /// <summary>
    /// How much better than the prior the scores are: <c>1 − LogLoss / H</c>, where
    /// <c>H = −Σ f_c ln f_c</c> is the log loss of always scoring each class c by its frequency f_c
    /// among the evaluated labels (the sum runs over the classes present). 1 is perfect, 0 is no
    /// better than the prior, below 0 is worse. When all labels are one class, H is 0, no scores can
    /// beat the prior and the ratio is undefined: this is then 0.
    /// </summary>
    public double LogLossReduction { get; }

    /// <summary>K of <see cref="TopKAccuracy"/>, as asked for; 0 when it was not computed.</summary>
    public int TopKPredictionCount { get; }

    /// <summary>
    /// The fraction of rows whose true class is among the K highest scores (K =
    /// <see cref="TopKPredictionCount"/>; a tie ranks the lower class first, as the argmax does, so
    /// K = 1 gives <see cref="MicroAccuracy"/>); null when K is 0 (not asked for).
    /// </summary>
    public double? TopKAccuracy { get; }

    /// <summary>The top-k accuracy for k = 1 … <see cref="TopKPredictionCount"/>, in that order; empty when K is 0.</summary>
    public IReadOnlyList<double> TopKAccuracyForAllK { get; }

    /// <summary>
    /// For each class, the <see cref="LogLoss"/> of the rows of that true class only; NaN for a
    /// class with no rows, whose log loss is not defined.
    /// </summary>
    public IReadOnlyList<double> PerClassLogLoss { get; }

    /// <summary>True classes against predicted classes, with per-class precision, recall and F1.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <summary>Computes the metrics of <paramref name="labels"/> and their <paramref name="scores"/>.</summary>
    /// <param name="labels">Each row's true class, 0 … <paramref name="classCount"/> − 1.</param>
    /// <param name="scores">Each row's scores (probabilities) of the classes, row-major: <c>labels.Length × classCount</c> finite values.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="topKPredictionCount">K of <see cref="TopKAccuracy"/>, 0 … <paramref name="classCount"/>; 0 (the default) to not compute it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is less than 1, or K is out of range.</exception>
    /// <exception cref="ArgumentException">There are no rows, the number of scores does not match, a label is not a class, or a score is not finite; the message names the row.</exception>
    public static MulticlassClassificationMetrics Compute(ReadOnlySpan<int> labels, ReadOnlySpan<float> scores, int classCount, int topKPredictionCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        MulticlassMetricsAccumulator.ThrowIfTopKOutOfRange(topKPredictionCount, classCount);
        if (labels.IsEmpty)
        {
            throw new ArgumentException("There are no rows to evaluate.", nameof(labels));
        }

        if (scores.Length != (long)labels.Length * classCount)
        {
            throw new ArgumentException(
                $"{labels.Length} rows of {classCount} classes need {(long)labels.Length * classCount} scores, one row of {classCount} per label; got {scores.Length}.",
                nameof(scores));
        }

        var accumulator = new MulticlassMetricsAccumulator(classCount, topKPredictionCount);
        for (var row = 0; row < labels.Length; row++)
        {
            var rowScores = scores.Slice(row * classCount, classCount);
            if (accumulator.FindLabelProblem(labels[row]) is { } labelProblem)
            {
                throw new ArgumentException($"Row {row}: {labelProblem}", nameof(labels));
            }

            if (accumulator.FindScoresProblem(rowScores) is { } scoresProblem)
            {
                throw new ArgumentException($"Row {row}: {scoresProblem}", nameof(scores));
            }

            accumulator.Add(labels[row], rowScores);
        }

        return accumulator.ToMetrics();
    }
}
