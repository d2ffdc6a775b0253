using System.Text.Json;
using MnistMl.Cli.Commands;
using MnistMl.Tests.Data;
using MnistMl.Tests.Nn.Onnx;

namespace MnistMl.Tests.Cli;

public sealed class ExportCommandTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Export_writes_an_onnx_file_that_onnx_runtime_runs_to_the_models_own_predictions()
    {
        var path = Path.Combine(_folder.Path, "dnn.onnx");

        var (code, output, error) = Run("export", fixture.ModelPath, "--onnx", path, "--digit", "--json");

        Assert.True(code == 0, error);
        Assert.StartsWith($"Wrote {path} (", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        Assert.Equal(path, json.RootElement.GetProperty("onnxPath").GetString());
        var images = MnistTestData.Test.Images.Span[..(20 * 784)].ToArray();
        var (_, digits) = OnnxRuntimeRunner.Run(File.ReadAllBytes(path), images.Select(b => (float)b).ToArray(), [28, 28, 1]);
        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => fixture.Result.Model.Predict(images.AsSpan(i * 784, 784)).Digit),
            digits!.Select(d => (int)d));
        OnnxChecker.AssertValid(path);
    }

    [Fact]
    public void Export_of_a_damaged_model_file_returns_4_with_one_line()
    {
        var damaged = _folder.Write("damaged.zip", [.. File.ReadAllBytes(fixture.ModelPath).Take(500)]);
        var path = Path.Combine(_folder.Path, "out.onnx");

        var (code, _, error) = Run("export", damaged, "--onnx", path);

        Assert.Equal(4, code);
        Assert.StartsWith($"mnistml: model file error: {damaged}: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Export_to_a_path_that_cannot_be_written_returns_5_and_leaves_no_file()
    {
        var blocker = _folder.Write("file", [1]);
        var path = Path.Combine(blocker, "model.onnx");

        var (code, _, error) = Run("export", fixture.ModelPath, "--onnx", path);

        Assert.Equal(5, code);
        Assert.StartsWith($"mnistml: output error: cannot write {path}: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Equal(["file"], _folder.FileNames());
    }

    [Fact]
    public void Export_without_a_target_is_a_usage_error()
    {
        var (code, _, error) = Run("export", fixture.ModelPath);

        Assert.Equal(2, code);
        Assert.Equal($"mnistml: usage error: Say what to write, one of: --onnx FILE.onnx, --mlnet FILE.zip.{Environment.NewLine}", error);
    }

    [Fact]
    public void Export_mlnet_writes_a_zip_that_MLNet_loads_and_predicts_the_models_digits_with()
    {
        var path = Path.Combine(_folder.Path, "mnist-mlnet.zip");

        var (code, output, error) = Run("export", fixture.ModelPath, "--mlnet", path, "--json");

        Assert.True(code == 0, error);
        Assert.StartsWith($"Wrote {path} (", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        Assert.Equal(path, json.RootElement.GetProperty("mlnetPath").GetString());
        var ml = new Microsoft.ML.MLContext(seed: 0) { TempFilePath = Directory.CreateDirectory(Path.Combine(_folder.Path, "temp")).FullName };
        var loaded = ml.Model.Load(path, out var schema);
        Assert.Equal("Image", Assert.Single(schema).Name);
        using (var engine = ml.Model.CreatePredictionEngine<DigitImage, LoadedPrediction>(loaded))
        {
            for (var i = 0; i < 50; i++)
            {
                var image = DigitImage.FromPixels(MnistTestData.Test.GetImage(i));
                var ours = fixture.Result.Model.Predict(image);
                var theirs = engine.Predict(image);
                Assert.Equal(ours.Digit + 1, (int)Assert.Single(theirs.PredictedLabel));
                Assert.All(ours.Scores.Zip(theirs.Score), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1e-5));
            }
        }

        (loaded as IDisposable)?.Dispose();
    }

    [Fact]
    public void Export_with_both_targets_is_a_usage_error()
    {
        var (code, _, _) = Run("export", fixture.ModelPath, "--onnx", Path.Combine(_folder.Path, "a.onnx"), "--mlnet", Path.Combine(_folder.Path, "a.zip"));

        Assert.Equal(2, code);
        Assert.Empty(_folder.FileNames());
    }

    private sealed class LoadedPrediction
    {
        public float[] Score { get; set; } = [];

        public uint[] PredictedLabel { get; set; } = [];
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CliHarness.Run(ExportCommand.Create(), args);
}
