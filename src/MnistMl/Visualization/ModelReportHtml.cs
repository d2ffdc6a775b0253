using System.Globalization;
using System.Text;
using MnistMl.Evaluation;

namespace MnistMl.Visualization;

/// <summary>
/// Writes a <see cref="ModelReport"/> as one HTML page: inline CSS, inline SVG pictures, every
/// text escaped. The markup is also well-formed XML (after the doctype), so tests can parse it.
/// </summary>
internal static class ModelReportHtml
{
    private const string Style = """
        body { font-family: system-ui, sans-serif; color: #202020; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
        h1 { font-size: 26px; margin-bottom: 4px; }
        h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        table { border-collapse: collapse; }
        td, th { padding: 4px 10px; text-align: right; font-variant-numeric: tabular-nums; }
        th { background: #f2f2f2; }
        table.metrics td:first-child, table.metrics th:first-child { text-align: left; }
        table.heat td { min-width: 42px; text-align: center; border: 1px solid #fff; }
        .note { color: #555; }
        .gallery { display: flex; flex-wrap: wrap; gap: 12px; }
        figure { margin: 0; width: 112px; text-align: center; font-size: 13px; }
        figure svg { border: 1px solid #ccc; }
        pre { background: #f7f7f7; padding: 12px; overflow-x: auto; }
        """;

    private static readonly RgbColor Paper = RgbColor.White;
    private static readonly RgbColor Correct = new(8, 81, 156);
    private static readonly RgbColor Wrong = new(203, 24, 29);

    public static string Write(ModelReport report)
    {
        var html = new StringBuilder();
        var title = Markup.Escape(report.Title);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append("<title>").Append(title).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(title).Append("</h1>\n")
            .Append(Invariant($"<p class=\"note\">Evaluated on {report.Metrics.Count():N0} labelled images.</p>\n"));
        WriteMetrics(html, report);
        WriteCurves(html, report);
        WriteConfusionMatrix(html, report);
        WritePerClass(html, report);
        WriteMistakes(html, report);
        html.Append("<section id=\"architecture\">\n<h2>Architecture</h2>\n<pre>").Append(Markup.Escape(report.Architecture.TrimEnd())).Append("</pre>\n</section>\n");
        return html.Append("</body>\n</html>\n").ToString();
    }

    private static void WriteMetrics(StringBuilder html, ModelReport report)
    {
        var m = report.Metrics;
        html.Append("<section id=\"metrics\">\n<h2>Metrics</h2>\n<table class=\"metrics\">\n<tr><th>metric</th><th>value</th></tr>\n")
            .Append(Row("micro accuracy", $"{m.MicroAccuracy:F4} ({m.MicroAccuracy:P2})"))
            .Append(Row("macro accuracy", $"{m.MacroAccuracy:F4} ({m.MacroAccuracy:P2})"))
            .Append(Row("log loss", $"{m.LogLoss:F4}"))
            .Append(Row("log-loss reduction", $"{m.LogLossReduction:F4}"))
            .Append(Row("mistakes", $"{report.MistakeTotal:N0} of {m.Count():N0}"))
            .Append("</table>\n</section>\n");

        static string Row(string name, FormattableString value) => $"<tr><td>{name}</td><td>{Markup.Escape(value.ToString(CultureInfo.InvariantCulture))}</td></tr>\n";
    }

    private static void WriteCurves(StringBuilder html, ModelReport report)
    {
        html.Append("<section id=\"curves\">\n<h2>Training curves</h2>\n");
        if (report.History is { Epochs.Count: > 0 } history)
        {
            html.Append(TrainingCurves.ToSvg(history, "Loss and accuracy per epoch")).Append('\n');
        }
        else
        {
            html.Append("<p class=\"note\">No training history: a model loaded from a file does not keep its per-epoch figures. ")
                .Append("Run <code>mnistml train --curves curves.svg</code> to draw them while training.</p>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>A table whose cells are tinted: blue on the diagonal by the class's recall, red elsewhere by the count relative to the largest mistake count.</summary>
    private static void WriteConfusionMatrix(StringBuilder html, ModelReport report)
    {
        var matrix = report.Metrics.ConfusionMatrix;
        var classes = matrix.NumberOfClasses;
        var largestMistake = Math.Max(1, Enumerable.Range(0, classes).SelectMany(t => Enumerable.Range(0, classes).Where(p => p != t).Select(p => matrix.Counts[t][p])).DefaultIfEmpty(0).Max());
        html.Append("<section id=\"confusion\">\n<h2>Confusion matrix</h2>\n")
            .Append("<p class=\"note\">Rows are the true digit, columns the predicted one. The diagonal (blue) is right; the deeper the red, the more common the mistake.</p>\n")
            .Append("<table class=\"heat\">\n<tr><th>true \\ predicted</th>");
        for (var p = 0; p < classes; p++)
        {
            html.Append(Invariant($"<th>{p}</th>"));
        }

        html.Append("</tr>\n");
        for (var t = 0; t < classes; t++)
        {
            html.Append(Invariant($"<tr><th>{t}</th>"));
            var rowTotal = matrix.Counts[t].Sum();
            for (var p = 0; p < classes; p++)
            {
                var count = matrix.Counts[t][p];
                var strength = t == p ? (rowTotal == 0 ? 0 : (double)count / rowTotal) : Math.Sqrt((double)count / largestMistake);
                var background = RgbColor.Blend(Paper, t == p ? Correct : Wrong, strength);
                var ink = strength > 0.55 ? "#ffffff" : "#202020";
                html.Append(Invariant(
                    $"<td style=\"background:{background.ToHex()};color:{ink}\" title=\"true {t}, predicted {p}: {count:N0}\">{count:N0}</td>"));
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n</section>\n");
    }

    private static void WritePerClass(StringBuilder html, ModelReport report)
    {
        var matrix = report.Metrics.ConfusionMatrix;
        html.Append("<section id=\"per-class\">\n<h2>Per-class precision, recall and F1</h2>\n<table class=\"metrics\">\n")
            .Append("<tr><th>digit</th><th>images</th><th>precision</th><th>recall</th><th>F1</th><th>log loss</th></tr>\n");
        for (var c = 0; c < matrix.NumberOfClasses; c++)
        {
            html.Append(Invariant(
                $"<tr><td>{c}</td><td>{matrix.PerClassCount()[c]:N0}</td><td>{matrix.PerClassPrecision[c]:F4}</td><td>{matrix.PerClassRecall[c]:F4}</td><td>{matrix.PerClassF1()[c]:F4}</td><td>{FormatLogLoss(report.Metrics.PerClassLogLoss[c])}</td></tr>\n"));
        }

        html.Append("</table>\n</section>\n");
    }

    private static void WriteMistakes(StringBuilder html, ModelReport report)
    {
        html.Append("<section id=\"mistakes\">\n<h2>Most confident mistakes</h2>\n");
        if (report.Mistakes.Count == 0)
        {
            html.Append("<p class=\"note\">").Append(report.MistakeTotal == 0 ? "The model made no mistakes." : "No mistakes were asked for.").Append("</p>\n</section>\n");
            return;
        }

        html.Append(Invariant($"<p class=\"note\">The {report.Mistakes.Count} wrong answers (of {report.MistakeTotal:N0}) the model was surest of: image index, true digit → predicted digit, and the probability it gave its answer.</p>\n"))
            .Append("<div class=\"gallery\">\n");
        var test = report.Test;
        foreach (var mistake in report.Mistakes)
        {
            var digit = new RgbImage(test.Columns, test.Rows);
            digit.DrawInk(test.GetImage(mistake.Index), test.Columns, test.Rows, 0, 0, 1);
            var label = Invariant($"test image {mistake.Index}: a {mistake.Label} read as {mistake.Predicted}");
            html.Append(Invariant($"<figure class=\"mistake\" data-index=\"{mistake.Index}\">"))
                .Append(digit.ToSvg(label, zoom: 84.0 / test.Columns))
                .Append(Invariant($"<figcaption>#{mistake.Index}<br />true {mistake.Label} → {mistake.Predicted}<br />p = {mistake.Probability:F3}</figcaption></figure>\n"));
        }

        html.Append("</div>\n</section>\n");
    }

    private static string FormatLogLoss(double value) => double.IsNaN(value) ? "–" : value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
