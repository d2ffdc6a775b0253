using System.Globalization;
using System.Xml.Linq;
using MnistMl.Evaluation;
using MnistMl.Tests.Data;
using MnistMl.Visualization;

namespace MnistMl.Tests.Visualization;

public class ModelReportTests
{
    [Fact]
    public void Mistakes_are_the_wrong_predictions_surest_first_as_the_model_itself_predicts_them()
    {
        var model = TinyModel.Model;
        var test = TinyModel.Test;

        var report = ModelReport.Create(model, test, mistakeCount: 30);

        var wrong = Enumerable.Range(0, test.Count)
            .Select(i => (Index: i, Label: (int)test.Labels.Span[i], Prediction: model.Predict(test.GetImage(i))))
            .Where(r => r.Prediction.Digit != r.Label)
            .Select(r => new Mistake(r.Index, r.Label, r.Prediction.Digit, r.Prediction.Probability))
            .ToList();
        Assert.InRange(wrong.Count, 31, 500);
        Assert.Equal(wrong.Count, report.MistakeTotal);
        Assert.Equal(wrong.OrderByDescending(m => m.Probability).ThenBy(m => m.Index).Take(30), report.Mistakes);
        Assert.Equal(1 - (wrong.Count / (double)test.Count), report.Metrics.MicroAccuracy, 12);
    }

    [Fact]
    public void Metrics_are_those_of_Evaluate_on_the_same_images()
    {
        var expected = TinyModel.Model.Evaluate(TinyModel.Test);

        var report = ModelReport.Create(TinyModel.Model, TinyModel.Test);

        Assert.Equal(expected.MicroAccuracy, report.Metrics.MicroAccuracy);
        Assert.Equal(expected.MacroAccuracy, report.Metrics.MacroAccuracy);
        Assert.Equal(expected.LogLoss, report.Metrics.LogLoss, 12);
        Assert.Equal(expected.ConfusionMatrix.Counts, report.Metrics.ConfusionMatrix.Counts);
        Assert.Same(TinyModel.Model.History, report.History);
    }

    [Fact]
    public void Html_is_well_formed_and_shows_metrics_curves_heat_map_per_class_figures_and_mistakes()
    {
        var report = ModelReport.Create(TinyModel.Model, TinyModel.Test, mistakeCount: 12);

        var html = Parse(report.ToHtml());

        var metrics = Section(html, "metrics").Descendants("td").Select(td => td.Value).ToList();
        Assert.Contains(report.Metrics.MicroAccuracy.ToString("F4", CultureInfo.InvariantCulture) + " (" + report.Metrics.MicroAccuracy.ToString("P2", CultureInfo.InvariantCulture) + ")", metrics);
        Assert.Contains(report.Metrics.MacroAccuracy.ToString("F4", CultureInfo.InvariantCulture), metrics.Select(m => m.Split(' ')[0]));
        Assert.Contains(report.Metrics.LogLoss.ToString("F4", CultureInfo.InvariantCulture), metrics);
        Assert.Contains(report.Metrics.LogLossReduction.ToString("F4", CultureInfo.InvariantCulture), metrics);
        Assert.Contains($"{report.MistakeTotal:N0} of 1,000", metrics);

        var curves = Section(html, "curves").Element(SvgDocument.Svg + "svg")!;
        Assert.Equal(4, curves.Descendants(SvgDocument.Svg + "g").Count(g => g.Attribute("class")?.Value == "series"));

        var heat = Section(html, "confusion").Descendants("tr").Skip(1).Select(tr => tr.Elements("td").Select(td => long.Parse(td.Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(report.Metrics.ConfusionMatrix.Counts.Select(row => row.Select(c => (long)c).ToArray()).ToArray(), heat);
        Assert.All(Section(html, "confusion").Descendants("td"), td => Assert.StartsWith("background:#", td.Attribute("style")!.Value, StringComparison.Ordinal));

        var perClass = Section(html, "per-class").Descendants("tr").Skip(1).ToArray();
        Assert.Equal(10, perClass.Length);
        Assert.Equal(report.Metrics.ConfusionMatrix.PerClassF1()[3].ToString("F4", CultureInfo.InvariantCulture), perClass[3].Elements("td").ElementAt(4).Value);

        var figures = Section(html, "mistakes").Descendants("figure").ToArray();
        Assert.Equal(report.Mistakes.Select(m => m.Index.ToString(CultureInfo.InvariantCulture)), figures.Select(f => f.Attribute("data-index")!.Value));
        var first = report.Mistakes[0];
        Assert.Equal($"#{first.Index}true {first.Label} → {first.Predicted}p = {first.Probability.ToString("F3", CultureInfo.InvariantCulture)}", figures[0].Element("figcaption")!.Value);
        Assert.NotNull(figures[0].Element(SvgDocument.Svg + "svg"));

        Assert.Contains("dense", Section(html, "architecture").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Gallery_digit_pictures_repaint_the_mistaken_test_images()
    {
        var report = ModelReport.Create(TinyModel.Model, TinyModel.Test, mistakeCount: 3);

        var figures = Section(Parse(report.ToHtml()), "mistakes").Descendants("figure").ToArray();

        foreach (var (figure, mistake) in figures.Zip(report.Mistakes))
        {
            var repainted = SvgDocument.Repaint(figure.Element(SvgDocument.Svg + "svg")!.ToString());
            var expected = TinyModel.Test.GetImage(mistake.Index).ToArray().Select(ink => (byte)(255 - ink));
            Assert.Equal(expected, repainted.Pixels.ToArray().Where((_, i) => i % 3 == 0));
        }
    }

    [Fact]
    public void Html_escapes_the_title()
    {
        const string title = "<script>alert('x')</script> & \"model\"";

        var text = ModelReport.Create(TinyModel.Model, TinyModel.Test, title: title).ToHtml();

        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;model&quot;", text, StringComparison.Ordinal);
        var html = Parse(text);
        Assert.Equal(title, html.Descendants("title").Single().Value);
        Assert.Equal(title, html.Descendants("h1").Single().Value);
    }

    [Fact]
    public void Report_of_a_model_loaded_from_a_file_says_it_has_no_training_history()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "tiny.zip");
        TinyModel.Model.Save(path);

        var report = ModelReport.Create(MnistModel.Load(path), TinyModel.Test);

        Assert.Null(report.History);
        var curves = Section(Parse(report.ToHtml()), "curves");
        Assert.Empty(curves.Descendants(SvgDocument.Svg + "svg"));
        Assert.Contains("No training history", curves.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_writes_the_page_under_the_final_name_only()
    {
        using var folder = new TempFolder();
        var report = ModelReport.Create(TinyModel.Model, TinyModel.Test, mistakeCount: 2);
        var path = Path.Combine(folder.Path, "report.html");

        report.Save(path);

        Assert.Equal(report.ToHtml(), File.ReadAllText(path));
        Assert.Equal(["report.html"], folder.FileNames());
    }

    [Fact]
    public void Create_rejects_a_mistake_count_out_of_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelReport.Create(TinyModel.Model, TinyModel.Test, mistakeCount: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelReport.Create(TinyModel.Model, TinyModel.Test, mistakeCount: 1001));
    }

    /// <summary>The page as XML: the doctype dropped, the rest must be well-formed.</summary>
    internal static XElement Parse(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>\n", html, StringComparison.Ordinal);
        return XElement.Parse(html["<!DOCTYPE html>\n".Length..]);
    }

    private static XElement Section(XElement html, string id) =>
        html.Descendants("section").Single(s => s.Attribute("id")?.Value == id);
}
