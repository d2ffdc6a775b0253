using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Evaluation;

/// <summary>ML.NET's multiclass evaluator run on labels and class probabilities already computed (one forward pass for metrics and mistakes alike).</summary>
internal static class ScoredImages
{
    /// <summary>The metrics of <paramref name="scores"/> (row-major, <paramref name="classCount"/> per image) against <paramref name="labels"/>.</summary>
    public static MulticlassClassificationMetrics Evaluate(ReadOnlySpan<byte> labels, float[] scores, int classCount)
    {
        var rows = new Row[labels.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var score = scores.AsSpan(i * classCount, classCount).ToArray();
            rows[i] = new Row { Label = labels[i], Score = score, PredictedLabel = (uint)Nn.Metric.ArgMax<float>(score) + 1 };
        }

        var ml = new MLContext();
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classCount);
        definition[nameof(Row.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        return ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(rows, definition));
    }

    private sealed class Row
    {
        public float Label { get; set; }

        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }
}
