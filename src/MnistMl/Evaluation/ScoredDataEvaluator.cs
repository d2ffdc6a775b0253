using System.Globalization;
using MnistMl.Data;

namespace MnistMl.Evaluation;

/// <summary>
/// Evaluates a scored data view: checks its label, score and predicted-label columns up front,
/// then reads one row at a time into a <see cref="MulticlassMetricsAccumulator"/>, so no column is
/// materialised. The predicted class is the argmax of the scores; the predicted-label column, when
/// present, must be an integer scalar but is not read.
/// </summary>
internal static class ScoredDataEvaluator
{
    private const string NeededBy = "multiclass evaluation";

    /// <summary>The metrics of <paramref name="data"/>; see <see cref="MulticlassClassificationCatalog.Evaluate"/>.</summary>
    public static MulticlassClassificationMetrics Evaluate(
        IDataView data, string labelColumnName, string scoreColumnName, string predictedLabelColumnName, int topKPredictionCount)
    {
        ArgumentNullException.ThrowIfNull(data);
        var label = data.Schema[labelColumnName];
        var score = data.Schema[scoreColumnName];
        if (score.Type is not VectorDataViewType { IsKnownSize: true } scoreType || !scoreType.ItemType.Equals(NumberDataViewType.Single))
        {
            throw SchemaMismatchException.WrongType(score, "a fixed-size Single vector (a probability per class)", NeededBy);
        }

        var classCount = scoreType.Size;
        if (!ColumnValueReaders.IsIntegerScalar(label.Type) && !IsOneHot(label.Type, classCount))
        {
            throw SchemaMismatchException.WrongType(
                label,
                $"an integer scalar ({ColumnValueReaders.IntegerTypeNames}) or a one-hot Single vector of {classCount} values, one per class of column '{score.Name}'",
                NeededBy);
        }

        if (data.Schema.GetColumnOrNull(predictedLabelColumnName) is { } predicted && !ColumnValueReaders.IsIntegerScalar(predicted.Type))
        {
            throw SchemaMismatchException.WrongType(predicted, $"an integer scalar ({ColumnValueReaders.IntegerTypeNames})", NeededBy);
        }

        var accumulator = new MulticlassMetricsAccumulator(classCount, topKPredictionCount);
        if (data.RowCount == 0)
        {
            throw new ArgumentException("The data has no rows to evaluate.", nameof(data));
        }

        var reader = data.CreateReader();
        var readLabel = ColumnValueReaders.IsIntegerScalar(label.Type)
            ? ColumnValueReaders.CreateInt64Getter(reader, label)
            : CreateOneHotClassGetter(reader, label);
        var readScores = reader.GetGetter<ReadOnlyMemory<float>>(score);
        ReadOnlyMemory<float> scores = default;
        for (var row = 0; row < data.RowCount; row++)
        {
            reader.Seek(row);
            var trueClass = readLabel();
            if (accumulator.FindLabelProblem(trueClass) is { } labelProblem)
            {
                throw new DataValueException(label.Name, row, labelProblem);
            }

            readScores(ref scores);
            if (accumulator.FindScoresProblem(scores.Span) is { } scoresProblem)
            {
                throw new DataValueException(score.Name, row, scoresProblem);
            }

            accumulator.Add((int)trueClass, scores.Span);
        }

        return accumulator.ToMetrics();
    }

    private static bool IsOneHot(DataViewType type, int classCount) =>
        type is VectorDataViewType vector && vector.ItemType.Equals(NumberDataViewType.Single) && vector.Size == classCount;

    /// <summary>
    /// The class a one-hot label vector names: the index of its largest value, the first on a tie, so
    /// smoothed labels (0.9 and 0.01s) work too. A value that is not finite, or a vector with no
    /// positive value (which names no class), is a <see cref="DataValueException"/>.
    /// </summary>
    private static Func<long> CreateOneHotClassGetter(RowReader reader, DataViewSchema.Column label)
    {
        var getter = reader.GetGetter<ReadOnlyMemory<float>>(label);
        ReadOnlyMemory<float> value = default;
        return () =>
        {
            getter(ref value);
            var oneHot = value.Span;
            var best = 0;
            for (var c = 0; c < oneHot.Length; c++)
            {
                if (!float.IsFinite(oneHot[c]))
                {
                    throw new DataValueException(
                        label.Name, reader.Row, string.Create(CultureInfo.InvariantCulture, $"the one-hot label's value for class {c} is {oneHot[c]}; it must be finite."));
                }

                if (oneHot[c] > oneHot[best])
                {
                    best = c;
                }
            }

            return oneHot.Length > 0 && oneHot[best] > 0
                ? best
                : throw new DataValueException(label.Name, reader.Row, "the one-hot label has no positive value, so it names no class.");
        };
    }
}
