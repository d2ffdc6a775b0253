using System.Text.Json;
using MnistMl.Cli.Commands;
using MnistMl.Imaging;
using MnistMl.Tests.Data;
using MnistMl.Tests.Imaging;

namespace MnistMl.Tests.Cli;

public sealed class PredictCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _model;

    public PredictCommandTests()
    {
        _model = Path.Combine(_folder.Path, "model.zip");
        TrainedDigitModel.Model.Save(_model);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Predict_prints_digit_probability_and_runner_up_of_each_file_and_ends_with_json()
    {
        var seven = Asset("seven.png");
        var two = Asset("two.png");

        var (code, output, error) = Run("predict", _model, seven, two, "--json");

        Assert.Equal((0, ""), (code, error));
        var lines = output.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(3, lines.Length);
        Assert.Matches($@"^{Escape(seven)}: 7 \(\d+\.\d %\), runner-up \d \(\d+\.\d %\)$", lines[0]);
        Assert.StartsWith($"{two}: 2 (", lines[1], StringComparison.Ordinal);
        using var json = JsonDocument.Parse(lines[^1]);
        var entries = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal([seven, two], entries.Select(e => e.GetProperty("file").GetString()));
        Assert.Equal([7, 2], entries.Select(e => e.GetProperty("digit").GetInt32()));
        Assert.All(entries, e => Assert.InRange(e.GetProperty("probability").GetDouble(), 0.1, 1.0));
    }

    [Fact]
    public void Predict_reports_a_file_it_cannot_read_goes_on_with_the_others_and_returns_3()
    {
        var broken = _folder.Write("broken.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]);
        var missing = Path.Combine(_folder.Path, "missing.png");
        var seven = Asset("seven.png");

        var (code, output, error) = Run("predict", _model, broken, missing, seven, "--json");

        Assert.Equal(3, code);
        Assert.Equal(
            [$"mnistml: data error: {broken}: SkiaSharp cannot read the PNG header (the data ends early).", $"mnistml: data error: {missing}: Could not find file '{missing}'."],
            error.TrimEnd().Split(Environment.NewLine));
        using var json = JsonDocument.Parse(output.TrimEnd().Split(Environment.NewLine)[^1]);
        var entries = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal([broken, missing, seven], entries.Select(e => e.GetProperty("file").GetString()));
        Assert.StartsWith($"{broken}: SkiaSharp cannot read the PNG header", entries[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(entries[0].TryGetProperty("digit", out _));
        Assert.Contains("Could not find file", entries[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(7, entries[2].GetProperty("digit").GetInt32());
    }

    [Fact]
    public void Index_before_the_model_leaves_the_model_and_files_to_the_command()
    {
        var one = Asset("one.png");

        var (code, output, error) = Run("predict", "--index", "0", "1", _model, one, "--data", MnistTestData.Folder);

        Assert.Equal((0, ""), (code, error));
        var lines = output.TrimEnd().Split(Environment.NewLine);
        Assert.StartsWith($"{one}: 1 (", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("#0: 7 (", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("#1: 2 (", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Index_needs_a_number_and_the_error_names_the_option()
    {
        var (code, _, error) = Run("predict", _model, "--index", "seven");

        Assert.Equal((2, $"mnistml: --index needs a test image number (0–9999), not 'seven'.{Environment.NewLine}Run 'mnistml --help' for usage.{Environment.NewLine}"), (code, error));
    }

    [Fact]
    public void Predict_lists_files_then_test_images_which_keep_their_index_and_scores()
    {
        var (code, output, _) = Run("predict", _model, Asset("one.png"), "--index", "0", "1", "--data", MnistTestData.Folder, "--json");

        Assert.Equal(0, code);
        var lines = output.TrimEnd().Split(Environment.NewLine);
        Assert.StartsWith("#0: 7 (", lines[1], StringComparison.Ordinal);
        using var json = JsonDocument.Parse(lines[^1]);
        var entries = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(1, entries[0].GetProperty("digit").GetInt32());
        Assert.Equal([0, 1], entries[1..].Select(e => e.GetProperty("index").GetInt32()));
        Assert.Equal([7, 2], entries[1..].Select(e => e.GetProperty("digit").GetInt32()));
        Assert.All(entries[1..], e => Assert.Equal(10, e.GetProperty("scores").GetArrayLength()));
    }

    [Fact]
    public void Predict_with_no_normalize_rejects_a_picture_that_is_not_28_by_28()
    {
        var seven = Asset("seven.png");

        var (code, output, error) = Run("predict", _model, seven, "--no-normalize");

        Assert.Equal((3, ""), (code, output));
        Assert.Equal($"mnistml: data error: {seven}: the image is 140 × 140 pixels; without normalisation it must be 28 × 28, light ink on black, as in MNIST.{Environment.NewLine}", error);
    }

    [Fact]
    public void Predict_with_no_normalize_reads_a_28_by_28_mnist_image_as_it_is()
    {
        var path = _folder.Write("mnist-0.png", PngEncoder.Encode(new GrayImage(28, 28, MnistTestData.Test.GetImage(0).ToArray())));

        var (code, output, _) = Run("predict", _model, path, "--no-normalize");

        Assert.Equal(0, code);
        Assert.StartsWith($"{path}: 7 (", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_without_files_or_index_is_a_usage_error()
    {
        var (code, output, error) = Run("predict", _model);

        Assert.Equal((2, ""), (code, output));
        Assert.Equal($"mnistml: usage error: Give image files (after the model, if not the pretrained one), or --index N for MNIST test images.{Environment.NewLine}", error);
    }

    [Fact]
    public void Predict_with_no_model_reads_pictures_with_the_pretrained_one_and_says_so()
    {
        var seven = Asset("seven.png");
        var two = Asset("two.png");

        var (code, output, error) = Run("predict", seven, two);

        Assert.Equal((0, ""), (code, error));
        var lines = output.TrimEnd().Split(Environment.NewLine);
        Assert.Matches(@"^Reading with the pretrained model \(accurate_ensemble, 99\.\d\d % on the MNIST test set\); give a model \.zip first to use your own\.$", lines[0]);
        Assert.StartsWith($"{seven}: 7 (", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{two}: 2 (", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_with_no_model_reads_test_images_with_the_pretrained_one()
    {
        var (code, output, error) = Run("predict", "--index", "0", "1", "--data", MnistTestData.Folder, "--json");

        Assert.Equal((0, ""), (code, error));
        using var json = JsonDocument.Parse(output.TrimEnd().Split(Environment.NewLine)[^1]);
        Assert.Equal([7, 2], json.RootElement.EnumerateArray().Select(e => e.GetProperty("digit").GetInt32()));
    }

    [Fact]
    public void A_missing_zip_first_is_a_missing_model_not_a_picture()
    {
        var (code, _, error) = Run("predict", Path.Combine(_folder.Path, "absent.zip"), Asset("seven.png"));

        Assert.Equal(4, code);
        Assert.Contains("absent.zip", error, StringComparison.Ordinal);
    }

    private static string Asset(string fileName) => Path.Combine(SampleDigitAssets.Folder, fileName);

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliHarness.Run(PredictCommand.Create(), args);
}
