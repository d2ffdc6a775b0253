using System.Diagnostics;
using System.Text.Json;
using MnistMl.Evaluation;
using MnistMl.Nn;
using MnistMl.Persistence;
using MnistMl.Tests.Data;

namespace MnistMl.Tests;

public class MnistModelTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Train_returns_a_model_its_test_metrics_and_history()
    {
        var result = fixture.Result;
        Assert.True(result.TestMetrics.MicroAccuracy >= 0.9, $"test accuracy {result.TestMetrics.MicroAccuracy}");
        Assert.Equal(10_000, result.TestMetrics.Count());
        Assert.Single(result.History.Epochs);
        Assert.NotNull(result.History.Epochs[0].ValLoss);
        Assert.Equal(result.TestMetrics.MicroAccuracy, result.Model.Metrics["testAccuracy"]);
    }

    [Fact]
    public void Loaded_model_predicts_bit_identically_and_keeps_its_metrics()
    {
        var loaded = MnistModel.Load(fixture.ModelPath);
        for (var i = 0; i < 50; i++)
        {
            var pixels = MnistTestData.Test.GetImage(i);
            Assert.Equal(fixture.Result.Model.Predict(pixels).Scores, loaded.Predict(pixels).Scores);
        }

        Assert.Equal(fixture.Result.Model.Metrics["testAccuracy"], loaded.Metrics["testAccuracy"]);
        Assert.Equal(fixture.Result.TestMetrics.MicroAccuracy, loaded.Evaluate(MnistTestData.Test).MicroAccuracy);
    }

    [Fact]
    public void Model_loaded_in_another_process_predicts_bit_identically()
    {
        int[] indices = [0, 1, 2, 3, 4];
        var cli = System.IO.Path.Combine(AppContext.BaseDirectory, "MnistMl.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { cli, "predict", fixture.ModelPath, "--data", MnistTestData.Folder, "--json", "--index" }.Concat(indices.Select(i => $"{i}")))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the CLI did not finish within a minute");
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        foreach (var (entry, index) in json.RootElement.EnumerateArray().Zip(indices))
        {
            var scores = entry.GetProperty("scores").EnumerateArray().Select(s => s.GetSingle()).ToArray();
            Assert.Equal(fixture.Result.Model.Predict(MnistTestData.Test.GetImage(index)).Scores, scores);
        }
    }

    [Fact]
    public void Predict_from_float_pixels_equals_predict_from_bytes()
    {
        var bytes = MnistTestData.Test.GetImage(7);
        var floats = bytes.ToArray().Select(b => (float)b).ToArray();
        var model = fixture.Result.Model;
        Assert.Equal(model.Predict(bytes).Scores, model.Predict(floats).Scores);
    }

    [Fact]
    public void Predict_rejects_an_image_that_is_not_784_pixels_and_a_NaN_pixel()
    {
        var model = fixture.Result.Model;
        Assert.Contains("784", Assert.Throws<ArgumentException>(() => model.Predict(new byte[100])).Message, StringComparison.Ordinal);
        var pixels = new float[784];
        pixels[5] = float.NaN;
        Assert.Contains("Pixel 5", Assert.Throws<ArgumentException>(() => model.Predict(pixels)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300f, "Pixel 7 is 300; pixels must be grey levels from 0 to 255.")]
    [InlineData(-1f, "Pixel 7 is -1; pixels must be grey levels from 0 to 255.")]
    [InlineData(float.PositiveInfinity, "Pixel 7 is Infinity; pixels must be grey levels from 0 to 255.")]
    public void Predict_refuses_float_pixels_off_the_grey_scale_instead_of_clamping_them(float value, string message)
    {
        var pixels = new float[784];
        pixels[7] = value;

        var error = Assert.Throws<ArgumentException>(() => fixture.Result.Model.Predict(pixels));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_says_when_float_pixels_look_scaled_to_0_1_and_takes_rounding_at_the_ends()
    {
        var scaled = MnistTestData.Test.GetImage(0).ToArray().Select(b => b / 255f).ToArray();
        var edges = new float[784];
        (edges[0], edges[1]) = (-0.4f, 255.4f);

        var error = Assert.Throws<ArgumentException>(() => fixture.Result.Model.Predict(scaled));

        Assert.StartsWith("Every pixel is at most 1 and some lie between 0 and 1: these look like grey levels scaled to 0–1.", error.Message, StringComparison.Ordinal);
        Assert.Equal([0, 255], DigitImage.FromPixels(edges).Image[..2]);
    }

    [Fact]
    public void Predict_from_many_threads_gives_the_single_threaded_answers()
    {
        var model = MnistModel.Load(fixture.ModelPath);
        var expected = Enumerable.Range(0, 200).Select(i => model.Predict(MnistTestData.Test.GetImage(i)).Scores).ToArray();
        var actual = new float[200][];
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = model.Predict(MnistTestData.Test.GetImage(i)).Scores);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Prediction_engine_and_model_agree_and_the_digit_is_the_most_probable()
    {
        var model = fixture.Result.Model;
        var engine = model.CreatePredictionEngine();
        for (var i = 0; i < 20; i++)
        {
            var image = DigitImage.FromPixels(MnistTestData.Test.GetImage(i));
            var prediction = engine.Predict(image);
            Assert.Equal(model.Predict(image).Scores, prediction.Scores);
            Assert.Equal(Metric.ArgMax<float>(prediction.Scores), prediction.Digit);
            Assert.NotEqual(prediction.Digit, prediction.RunnerUp);
        }
    }

    [Fact]
    public void Load_of_a_damaged_model_names_the_file_and_the_reason()
    {
        var path = System.IO.Path.Combine(fixture.Folder.Path, "damaged.zip");
        File.WriteAllBytes(path, File.ReadAllBytes(fixture.ModelPath)[..200]);
        var error = Assert.Throws<ModelFormatException>(() => MnistModel.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
