using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Nn.Onnx;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Nn.Onnx;

/// <summary>
/// An exported file runs inside a real ML.NET pipeline (<c>ApplyOnnxModel</c>), survives
/// <c>MLContext.Model.Save</c> and <c>Load</c> as a standard ML.NET zip, and its
/// <c>PredictionEngine</c> predicts what our engine predicts.
/// </summary>
public sealed class OnnxInMlNetTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>, IDisposable
{
    private const int ImageCount = 200;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void An_exported_model_saved_in_an_ml_net_zip_predicts_our_digits_after_loading()
    {
        var model = fixture.Result.Model;
        var onnx = Path.Combine(_folder.Path, "dnn.onnx");
        model.ExportOnnx(onnx, OnnxInput.GreyLevels, includePredictedDigit: true);
        var images = Enumerable.Range(0, ImageCount)
            .Select(i => new GreyLevels { Input = [.. MnistTestData.Test.GetImage(i).ToArray().Select(b => (float)b)] })
            .ToList();
        var ml = new MLContext(seed: 1) { TempFilePath = Directory.CreateDirectory(Path.Combine(_folder.Path, "temp")).FullName };
        var data = ml.Data.LoadFromEnumerable(images);
        var zip = Path.Combine(_folder.Path, "dnn-mlnet.zip");

        using (var fitted = ml.Transforms.ApplyOnnxModel(["probabilities", "digit"], ["input"], onnx).Fit(data))
        {
            ml.Model.Save(fitted, data.Schema, zip);
        }

        var loaded = ml.Model.Load(zip, out var schema);
        try
        {
            using var engine = ml.Model.CreatePredictionEngine<GreyLevels, Prediction>(loaded, schema);
            var largest = 0f;
            foreach (var (image, i) in images.Select((image, i) => (image, i)))
            {
                var ours = model.Predict(image.Input);
                var theirs = engine.Predict(image);
                Assert.Equal(ours.Digit, (int)Assert.Single(theirs.Digit));
                largest = Math.Max(largest, ours.Scores.Zip(theirs.Probabilities, (a, b) => Math.Abs(a - b)).Max());
            }

            Assert.True(largest <= 1e-5f, $"largest difference {largest:E2}");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    private sealed class GreyLevels
    {
        [ColumnName("input")]
        [VectorType(28, 28, 1)]
        public float[] Input { get; set; } = [];
    }

    private sealed class Prediction
    {
        [ColumnName("probabilities")]
        public float[] Probabilities { get; set; } = [];

        [ColumnName("digit")]
        public long[] Digit { get; set; } = [];
    }
}
