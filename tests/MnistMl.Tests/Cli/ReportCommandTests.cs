using System.Text.Json;
using MnistMl.Cli.Commands;
using MnistMl.Tests.Data;
using MnistMl.Tests.Visualization;

namespace MnistMl.Tests.Cli;

public sealed class ReportCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Report_writes_one_html_page_of_a_saved_model_on_the_mnist_test_images()
    {
        var model = Path.Combine(_folder.Path, "tiny.zip");
        TinyModel.Model.Save(model);
        var page = Path.Combine(_folder.Path, "report.html");
        var expected = TinyModel.Model.Evaluate(MnistTestData.Test);

        var (code, output, error) = Run("report", model, "--out", page, "--data", MnistTestData.Folder, "--mistakes", "5", "--json");

        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n');
        Assert.StartsWith($"Saved report {page}: accuracy {expected.MicroAccuracy:F4}, ", lines[0], StringComparison.Ordinal);
        using var json = JsonDocument.Parse(lines[^1]);
        Assert.Equal(5, json.RootElement.GetProperty("shownMistakes").GetArrayLength());
        var html = ModelReportTests.Parse(File.ReadAllText(page));
        Assert.Equal("Model report: tiny.zip", html.Descendants("h1").Single().Value);
        Assert.Equal(5, html.Descendants("figure").Count());
        Assert.Contains("No training history", html.Value, StringComparison.Ordinal);
        Assert.Equal(["report.html", "tiny.zip"], _folder.FileNames());
    }

    [Fact]
    public void Report_of_a_missing_model_file_returns_4()
    {
        var missing = Path.Combine(_folder.Path, "none.zip");

        var (code, _, error) = Run("report", missing, "--out", Path.Combine(_folder.Path, "report.html"));

        Assert.Equal(4, code);
        Assert.StartsWith("mnistml: model file error: ", error, StringComparison.Ordinal);
        Assert.Empty(_folder.FileNames());
    }

    [Fact]
    public void Report_with_a_negative_mistake_count_is_a_usage_error()
    {
        var (code, _, error) = Run("report", "model.zip", "--mistakes", "-1");

        Assert.Equal(2, code);
        Assert.Contains("--mistakes must be 0–1000, not -1.", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CliHarness.Run(ReportCommand.Create(), args);
}
