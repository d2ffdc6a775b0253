using System.Globalization;

namespace MnistMl.Evaluation;

/// <summary>
/// Builds <see cref="MulticlassClassificationMetrics"/> one row at a time, so evaluating a data view
/// keeps per-class sums (classCount² counts for the confusion matrix) and never the rows. Sums are
/// taken in row order in double precision: the same rows give bit-identical metrics.
/// Callers that report bad rows their own way check them first with <see cref="FindLabelProblem"/>
/// and <see cref="FindScoresProblem"/>; <see cref="Add"/> checks again and throws if they did not.
/// </summary>
internal sealed class MulticlassMetricsAccumulator
{
    /// <summary>
    /// The floor on the true class's probability before taking its logarithm, as ML.NET has it: a
    /// confident mistake costs −ln 1e−15 ≈ 34.54 rather than infinity.
    /// </summary>
    public const double MinProbability = 1e-15;

    private readonly long[] _confusion;
    private readonly long[] _labelCounts;
    private readonly double[] _logLossSums;
    private readonly long[] _rankCounts;
    private double _logLossSum;

    /// <summary>Starts with no rows.</summary>
    /// <param name="classCount">Number of classes: the length of every row's scores.</param>
    /// <param name="topKPredictionCount">K of the top-K accuracy, 0 … <paramref name="classCount"/>; 0 to not compute it.</param>
    public MulticlassMetricsAccumulator(int classCount, int topKPredictionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ThrowIfTopKOutOfRange(topKPredictionCount, classCount);
        ClassCount = classCount;
        TopKPredictionCount = topKPredictionCount;
        _confusion = new long[classCount * classCount];
        _labelCounts = new long[classCount];
        _logLossSums = new double[classCount];
        _rankCounts = new long[topKPredictionCount];
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>K of the top-K accuracy; 0 when it is not computed.</summary>
    public int TopKPredictionCount { get; }

    /// <summary>Number of rows added: the position the next row is reported at.</summary>
    public long Count { get; private set; }

    /// <summary>Rejects a K that is negative or exceeds the number of classes, naming both.</summary>
    public static void ThrowIfTopKOutOfRange(int topKPredictionCount, int classCount)
    {
        if (topKPredictionCount < 0 || topKPredictionCount > classCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(topKPredictionCount),
                topKPredictionCount,
                $"K of the top-K accuracy must be from 0 (not computed) to the number of classes, {classCount}.");
        }
    }

    /// <summary>Why <paramref name="label"/> is not one of the classes, or null when it is.</summary>
    public string? FindLabelProblem(long label) =>
        (ulong)label < (ulong)ClassCount ? null : $"label {label} is not a class in 0–{ClassCount - 1}.";

    /// <summary>Why <paramref name="scores"/> cannot be one row's scores (wrong length, a value not finite), or null when they can.</summary>
    public string? FindScoresProblem(ReadOnlySpan<float> scores)
    {
        if (scores.Length != ClassCount)
        {
            return $"there are {scores.Length} scores for {ClassCount} classes.";
        }

        for (var c = 0; c < scores.Length; c++)
        {
            if (!float.IsFinite(scores[c]))
            {
                return string.Create(CultureInfo.InvariantCulture, $"the score of class {c} is {scores[c]}; scores must be finite.");
            }
        }

        return null;
    }

    /// <summary>Adds one row: its true class and its classes' scores (probabilities).</summary>
    /// <exception cref="ArgumentException">The label is not a class, or the scores are not <see cref="ClassCount"/> finite numbers.</exception>
    public void Add(int label, ReadOnlySpan<float> scores)
    {
        if ((FindLabelProblem(label) ?? FindScoresProblem(scores)) is { } problem)
        {
            throw new ArgumentException($"Row {Count}: {problem}");
        }

        // The true class's rank counts the classes scored above it and, on a tie, those of lower
        // index: ties go to the lower index exactly as the argmax does, so top-1 equals micro accuracy.
        var trueScore = scores[label];
        var rank = 0;
        var predicted = 0;
        for (var c = 0; c < scores.Length; c++)
        {
            if (scores[c] > trueScore || (scores[c] == trueScore && c < label))
            {
                rank++;
            }

            if (scores[c] > scores[predicted])
            {
                predicted = c;
            }
        }

        var logLoss = -Math.Log(Math.Max(trueScore, MinProbability));
        _confusion[(label * ClassCount) + predicted]++;
        _labelCounts[label]++;
        _logLossSums[label] += logLoss;
        _logLossSum += logLoss;
        if (rank < _rankCounts.Length)
        {
            _rankCounts[rank]++;
        }

        Count++;
    }

    /// <summary>The metrics of the rows added so far.</summary>
    /// <exception cref="InvalidOperationException">No row has been added.</exception>
    public MulticlassClassificationMetrics ToMetrics()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("No rows were evaluated: metrics need at least one.");
        }

        var confusionMatrix = new ConfusionMatrix(ClassCount, _confusion);
        long correct = 0;
        double recallSum = 0;
        var classesPresent = 0;
        double priorLogLoss = 0;
        var perClassLogLoss = new double[ClassCount];
        for (var c = 0; c < ClassCount; c++)
        {
            correct += _confusion[(c * ClassCount) + c];
            var labelCount = _labelCounts[c];
            if (labelCount == 0)
            {
                perClassLogLoss[c] = double.NaN;
                continue;
            }

            classesPresent++;
            recallSum += confusionMatrix.PerClassRecall[c];
            perClassLogLoss[c] = _logLossSums[c] / labelCount;
            var frequency = (double)labelCount / Count;
            priorLogLoss -= frequency * Math.Log(frequency);
        }

        var logLoss = _logLossSum / Count;
        var topKAccuracies = new double[TopKPredictionCount];
        long withinTopK = 0;
        for (var k = 0; k < topKAccuracies.Length; k++)
        {
            withinTopK += _rankCounts[k];
            topKAccuracies[k] = (double)withinTopK / Count;
        }

        return new MulticlassClassificationMetrics(
            count: Count,
            microAccuracy: (double)correct / Count,
            macroAccuracy: recallSum / classesPresent,
            logLoss: logLoss,
            logLossReduction: priorLogLoss > 0 ? 1 - (logLoss / priorLogLoss) : 0,
            topKAccuracyForAllK: topKAccuracies,
            perClassLogLoss: perClassLogLoss,
            confusionMatrix: confusionMatrix);
    }
}
