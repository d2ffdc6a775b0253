using System.Text;
using MnistMl.Persistence;
using MnistMl.Training;

namespace MnistMl.Visualization;

/// <summary>
/// Keras's two plots of a training run, drawn as one SVG: loss per epoch and accuracy per epoch,
/// training (solid blue) against validation (dashed orange), each panel with axes, ticks, a
/// legend and a title. The accuracy panel is left out when accuracy was not measured, and the
/// validation lines when there was no validation data.
/// </summary>
/// <example>
/// <code>
/// History history = net.Fit(x, y, batchSize: 128, epochs: 15, validationSplit: 0.1);
/// TrainingCurves.Save(history, "curves.svg");
/// </code>
/// </example>
public static class TrainingCurves
{
    private const double PanelWidth = 440;
    private const double PanelHeight = 320;
    private const double TitleHeight = 36;
    private const double PlotLeft = 64;
    private const double PlotRight = 24;
    private const double PlotTop = 34;
    private const double PlotBottom = 52;

    private static readonly RgbColor TrainingColor = new(31, 119, 180);
    private static readonly RgbColor ValidationColor = new(255, 127, 14);
    private static readonly RgbColor AxisColor = new(64, 64, 64);
    private static readonly RgbColor GridColor = new(230, 230, 230);
    private const string ValidationDash = "6 4";

    private static readonly Panel[] Panels =
    [
        new("Loss", "loss", "loss", "val_loss"),
        new("Accuracy", "accuracy", "accuracy", "val_accuracy"),
    ];

    /// <summary>
    /// The curves of <paramref name="history"/> as an SVG element (no XML declaration, so it can be
    /// saved as a <c>.svg</c> file or placed inline in HTML). Each series is a
    /// <c>&lt;g class="series" data-key="…"&gt;</c> under its Keras key with a polyline and one
    /// circle per epoch; epochs whose figure is not finite (a diverged run) are left out.
    /// </summary>
    /// <param name="history">What <c>Fit</c> returned.</param>
    /// <param name="title">The heading above the panels.</param>
    /// <exception cref="ArgumentException">The history has no epochs, or no finite loss.</exception>
    public static string ToSvg(History history, string title = "Training curves")
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(title);
        if (history.Epochs.Count == 0)
        {
            throw new ArgumentException("The history has no epochs to draw.", nameof(history));
        }

        var panels = Panels.Where(p => Points(history, p.TrainingKey).Count > 0).ToArray();
        if (panels.Length == 0)
        {
            throw new ArgumentException("The history has no finite loss to draw.", nameof(history));
        }

        var svg = new SvgBuilder(panels.Length * PanelWidth, PanelHeight + TitleHeight, title).RootAttributes("font-family=\"sans-serif\"");
        svg.Rect(0, 0, panels.Length * PanelWidth, PanelHeight + TitleHeight, RgbColor.White)
            .Text(panels.Length * PanelWidth / 2, 24, title, size: 17, anchor: "middle", bold: true);
        for (var i = 0; i < panels.Length; i++)
        {
            DrawPanel(svg, history, panels[i], i * PanelWidth, TitleHeight);
        }

        return svg.ToString();
    }

    /// <summary>Saves <see cref="ToSvg"/> as a UTF-8 file, atomically.</summary>
    /// <exception cref="ArgumentException">The history has no epochs, or no finite loss.</exception>
    public static void Save(History history, string path, string title = "Training curves")
    {
        var svg = ToSvg(history, title);
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(svg)));
    }

    private static void DrawPanel(SvgBuilder svg, History history, Panel panel, double left, double top)
    {
        var training = Points(history, panel.TrainingKey);
        var validation = Points(history, panel.ValidationKey);
        var values = training.Concat(validation).Select(p => p.Value).ToArray();
        var x = AxisScale.Counting(1, history.Epochs.Max(e => e.Epoch) + 1);
        var y = AxisScale.Covering(values.Min(), values.Max());
        var (plotLeft, plotRight) = (left + PlotLeft, left + PanelWidth - PlotRight);
        var (plotTop, plotBottom) = (top + PlotTop, top + PanelHeight - PlotBottom);

        svg.Text((plotLeft + plotRight) / 2, top + 20, panel.Title, size: 15, anchor: "middle", bold: true);
        foreach (var tick in y.Ticks)
        {
            var ty = y.Map(tick, plotBottom, plotTop);
            svg.Line(plotLeft, ty, plotRight, ty, GridColor)
                .Line(plotLeft - 5, ty, plotLeft, ty, AxisColor)
                .Text(plotLeft - 8, ty + 4, y.Format(tick), size: 11, anchor: "end");
        }

        foreach (var tick in x.Ticks)
        {
            var tx = x.Map(tick, plotLeft, plotRight);
            svg.Line(tx, plotBottom, tx, plotBottom + 5, AxisColor)
                .Text(tx, plotBottom + 18, x.Format(tick), size: 11, anchor: "middle");
        }

        svg.Line(plotLeft, plotBottom, plotRight, plotBottom, AxisColor)
            .Line(plotLeft, plotTop, plotLeft, plotBottom, AxisColor)
            .Text((plotLeft + plotRight) / 2, plotBottom + 38, "epoch", size: 12, anchor: "middle")
            .Text(left + 16, (plotTop + plotBottom) / 2, panel.AxisLabel, size: 12, anchor: "middle", rotate: -90);

        DrawSeries(svg, panel.TrainingKey, training, x, y, (plotLeft, plotRight, plotTop, plotBottom), TrainingColor, dash: null);
        DrawSeries(svg, panel.ValidationKey, validation, x, y, (plotLeft, plotRight, plotTop, plotBottom), ValidationColor, ValidationDash);

        var legendX = plotRight - 110;
        var legendY = plotTop + 14;
        foreach (var (name, color, dash, points) in new[] { ("training", TrainingColor, (string?)null, training), ("validation", ValidationColor, ValidationDash, validation) })
        {
            if (points.Count == 0)
            {
                continue;
            }

            svg.Line(legendX, legendY - 4, legendX + 24, legendY - 4, color, 2, dash)
                .Text(legendX + 30, legendY, name, size: 12);
            legendY += 18;
        }
    }

    private static void DrawSeries(
        SvgBuilder svg, string key, List<(int Epoch, double Value)> points, AxisScale x, AxisScale y,
        (double Left, double Right, double Top, double Bottom) plot, RgbColor color, string? dash)
    {
        if (points.Count == 0)
        {
            return;
        }

        var at = points.Select(p => (X: x.Map(p.Epoch, plot.Left, plot.Right), Y: y.Map(p.Value, plot.Bottom, plot.Top))).ToArray();
        svg.BeginGroup($"class=\"series\" data-key=\"{key}\"").Polyline(at, color, 2, dash);
        foreach (var (px, py) in at)
        {
            svg.Circle(px, py, 3, color);
        }

        svg.EndGroup();
    }

    /// <summary>The finite figures under <paramref name="key"/>, with their 1-based epoch.</summary>
    private static List<(int Epoch, double Value)> Points(History history, string key) =>
        [.. history.Epochs
            .Select(e => (Epoch: e.Epoch + 1, Value: e.Get(key)))
            .Where(p => p.Value is { } v && double.IsFinite(v))
            .Select(p => (p.Epoch, p.Value!.Value))];

    private sealed record Panel(string Title, string AxisLabel, string TrainingKey, string ValidationKey);
}
