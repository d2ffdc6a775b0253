using System.Globalization;
using Microsoft.ML.Data;
using MnistMl.Evaluation;
using Spectre.Console;

namespace MnistMl.Cli;

/// <summary>The metrics table and confusion matrix that <c>train</c> and <c>evaluate</c> print.</summary>
internal static class MetricsTable
{
    public static void Write(IAnsiConsole console, MulticlassClassificationMetrics metrics, bool withConfusionMatrix = false)
    {
        var table = new Table().AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned());
        void Row(string name, double value) => table.AddRow(name, value.ToString("F4", CultureInfo.InvariantCulture));
        Row("Micro accuracy", metrics.MicroAccuracy);
        Row("Macro accuracy", metrics.MacroAccuracy);
        Row("Log loss", metrics.LogLoss);
        Row("Log-loss reduction", metrics.LogLossReduction);
        if (metrics.TopKPredictionCount > 0)
        {
            Row($"Top-{metrics.TopKPredictionCount} accuracy", metrics.TopKAccuracy);
        }

        table.AddRow("Images", metrics.Count().ToString("N0", CultureInfo.InvariantCulture));
        console.Write(table);
        if (withConfusionMatrix)
        {
            console.WriteLine("Confusion matrix (rows: true digit, columns: predicted):");
            console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
            console.WriteLine(metrics.ConfusionMatrix.GetFormattedPerClassTable());
        }
    }

    /// <summary>The metrics as the <c>--json</c> object of <c>evaluate</c>.</summary>
    public static object ToJson(MulticlassClassificationMetrics metrics) => new
    {
        microAccuracy = metrics.MicroAccuracy,
        macroAccuracy = metrics.MacroAccuracy,
        logLoss = metrics.LogLoss,
        logLossReduction = metrics.LogLossReduction,
        topKPredictionCount = metrics.TopKPredictionCount,
        topKAccuracy = metrics.TopKPredictionCount > 0 ? metrics.TopKAccuracy : (double?)null,
        count = metrics.Count(),
        confusionMatrix = metrics.ConfusionMatrix.Counts,
        perClassPrecision = metrics.ConfusionMatrix.PerClassPrecision,
        perClassRecall = metrics.ConfusionMatrix.PerClassRecall,
        perClassF1 = metrics.ConfusionMatrix.PerClassF1(),
    };
}
