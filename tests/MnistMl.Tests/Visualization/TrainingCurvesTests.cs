using System.Globalization;
using System.Xml.Linq;
using MnistMl.Tests.Data;
using MnistMl.Training;
using MnistMl.Visualization;

namespace MnistMl.Tests.Visualization;

public class TrainingCurvesTests
{
    [Fact]
    public void Svg_is_well_formed_xml_with_a_point_per_epoch_in_each_of_the_four_series()
    {
        var svg = SvgDocument.Parse(TrainingCurves.ToSvg(HistoryOf(5, validation: true, accuracy: true)));

        Assert.Equal(["loss", "val_loss", "accuracy", "val_accuracy"], Series(svg).Select(s => s.Attribute("data-key")!.Value));
        foreach (var series in Series(svg))
        {
            Assert.Equal(5, Points(series).Length);
            Assert.Equal(5, series.Elements(SvgDocument.Svg + "circle").Count());
        }

        Assert.Equal("880", svg.Attribute("width")!.Value);
        var texts = svg.Descendants(SvgDocument.Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("Loss", texts);
        Assert.Contains("Accuracy", texts);
        Assert.Contains("epoch", texts);
        Assert.Equal(2, texts.Count(t => t == "training"));
        Assert.Equal(2, texts.Count(t => t == "validation"));
    }

    [Fact]
    public void Points_follow_the_epochs_left_to_right_and_larger_values_higher()
    {
        var history = HistoryOf(4, validation: false, accuracy: false);
        var loss = Points(Series(SvgDocument.Parse(TrainingCurves.ToSvg(history))).Single());

        Assert.Equal(loss.OrderBy(p => p.X), loss);
        for (var i = 1; i < loss.Length; i++)
        {
            // The loss falls every epoch, so each point sits lower (a larger y) than the one before.
            Assert.True(loss[i].Y > loss[i - 1].Y, $"epoch {i + 1} at y {loss[i].Y}, epoch {i} at y {loss[i - 1].Y}");
        }
    }

    [Fact]
    public void Without_validation_or_accuracy_only_the_training_loss_is_drawn()
    {
        var svg = SvgDocument.Parse(TrainingCurves.ToSvg(HistoryOf(3, validation: false, accuracy: false)));

        Assert.Equal(["loss"], Series(svg).Select(s => s.Attribute("data-key")!.Value));
        Assert.Equal("440", svg.Attribute("width")!.Value);
        var texts = svg.Descendants(SvgDocument.Svg + "text").Select(t => t.Value).ToList();
        Assert.DoesNotContain("validation", texts);
        Assert.DoesNotContain("Accuracy", texts);
    }

    [Fact]
    public void A_figure_that_is_not_finite_is_left_out_of_its_line()
    {
        var history = new History();
        foreach (var (epoch, value) in new[] { 0.9, double.NaN, 0.5 }.Index())
        {
            history.Add(new EpochLogs { Epoch = epoch, Loss = value, Seconds = 1, LearningRate = 0.001 });
        }

        var loss = Points(Series(SvgDocument.Parse(TrainingCurves.ToSvg(history))).Single());

        Assert.Equal(2, loss.Length);
    }

    [Fact]
    public void Title_is_escaped()
    {
        var svg = TrainingCurves.ToSvg(HistoryOf(2, validation: true, accuracy: true), "loss < 1 & \"fast\"");

        Assert.Contains("loss &lt; 1 &amp; &quot;fast&quot;", svg, StringComparison.Ordinal);
        Assert.Contains(SvgDocument.Parse(svg).Descendants(SvgDocument.Svg + "text"), t => t.Value == "loss < 1 & \"fast\"");
    }

    [Fact]
    public void A_history_without_epochs_is_rejected() =>
        Assert.Throws<ArgumentException>(() => TrainingCurves.ToSvg(new History()));

    [Fact]
    public void Save_writes_the_svg_under_the_final_name_only()
    {
        using var folder = new TempFolder();
        var history = HistoryOf(3, validation: true, accuracy: true);
        var path = Path.Combine(folder.Path, "curves.svg");

        TrainingCurves.Save(history, path);

        Assert.Equal(TrainingCurves.ToSvg(history), File.ReadAllText(path));
        Assert.Equal(["curves.svg"], folder.FileNames());
    }

    /// <summary>A run whose loss falls and accuracy rises every epoch.</summary>
    internal static History HistoryOf(int epochs, bool validation, bool accuracy)
    {
        var history = new History();
        for (var e = 0; e < epochs; e++)
        {
            history.Add(new EpochLogs
            {
                Epoch = e,
                Loss = 1.0 / (e + 1),
                Accuracy = accuracy ? 0.8 + (0.03 * e) : null,
                ValLoss = validation ? 1.1 / (e + 1) : null,
                ValAccuracy = validation && accuracy ? 0.78 + (0.03 * e) : null,
                Seconds = 1,
                LearningRate = 0.001,
            });
        }

        return history;
    }

    private static XElement[] Series(XElement svg) =>
        [.. svg.Descendants(SvgDocument.Svg + "g").Where(g => g.Attribute("class")?.Value == "series")];

    private static (double X, double Y)[] Points(XElement series) =>
        [.. series.Element(SvgDocument.Svg + "polyline")!.Attribute("points")!.Value.Split(' ').Select(p =>
        {
            var xy = p.Split(',');
            return (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture));
        })];
}
