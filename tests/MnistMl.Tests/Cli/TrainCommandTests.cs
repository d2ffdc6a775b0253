using System.Text.Json;
using MnistMl.Cli.Commands;
using MnistMl.Tests.Data;
using MnistMl.Tests.Visualization;

namespace MnistMl.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Train_curves_draws_every_epoch_of_training_and_validation_as_svg()
    {
        var model = Path.Combine(_folder.Path, "dnn.zip");
        var curves = Path.Combine(_folder.Path, "curves.svg");

        var (code, output, error) = Run("train", "--preset", "dnn", "--epochs", "2", "--data", MnistTestData.Folder, "-o", model, "--curves", curves, "--json");

        Assert.True(code == 0, error);
        Assert.Contains($"Saved curves {curves}", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        Assert.Equal(curves, json.RootElement.GetProperty("curvesPath").GetString());
        var svg = SvgDocument.Parse(File.ReadAllText(curves));
        var series = svg.Descendants(SvgDocument.Svg + "g").Where(g => g.Attribute("class")?.Value == "series").ToList();
        Assert.Equal(["loss", "val_loss", "accuracy", "val_accuracy"], series.Select(g => g.Attribute("data-key")!.Value));
        Assert.All(series, g => Assert.Equal(2, g.Elements(SvgDocument.Svg + "circle").Count()));
        Assert.Contains(svg.Descendants(SvgDocument.Svg + "text"), t => t.Value == "Training curves: dnn");
    }

    [Fact]
    public void Train_curves_to_a_png_is_a_usage_error_before_training()
    {
        var model = Path.Combine(_folder.Path, "dnn.zip");

        var (code, output, error) = Run("train", "--preset", "dnn", "--data", _folder.Path, "-o", model, "--curves", "curves.png");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"mnistml: usage error: --curves curves.png: charts are written as SVG; name a .svg file.{Environment.NewLine}", error);
        Assert.Empty(_folder.FileNames());
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CliHarness.Run(TrainCommand.Create(), args);

    [Fact]
    public void Train_with_an_unknown_optimizer_is_a_usage_error_listing_the_known_ones()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = MnistMl.Cli.CommandRunner.Run(new System.CommandLine.RootCommand { TrainCommand.Create() }, ["train", "--optimizer", "adagrad"], error, output);

        Assert.Equal(2, code);
        Assert.Contains("'adagrad' not recognized", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("'rmsprop'", error.ToString(), StringComparison.Ordinal);
    }
}
