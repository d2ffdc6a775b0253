using MnistMl.Nn;
using MnistMl.Nn.Onnx;
using MnistMl.Persistence;
using MnistMl.Tests.Data;
using MnistMl.Tests.Persistence;
using MnistMl.Training;
using MnistMl.Transforms;
using Onnx;

namespace MnistMl.Tests.Nn.Onnx;

/// <summary>
/// Every exported graph runs in ONNX Runtime to the engine's own outputs (largest difference at
/// most 1e-5, the same predicted class for every row) and passes ONNX's checker.
/// </summary>
public sealed class OnnxExportTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>, IDisposable
{
    private const float Tolerance = 1e-5f;
    private const int ImageCount = 1000;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("cnn")]
    [InlineData("mlp")]
    [InlineData("cnn64")]
    [InlineData("dnn")]
    public void A_preset_runs_in_onnx_runtime_to_the_engines_probabilities_on_a_thousand_test_images(string name)
    {
        var preset = ModelPreset.All.Single(p => p.Name == name);
        var model = preset.CreateModel(seed: 5);
        var train = MnistTestData.Slice(MnistTestData.Train, 0, 2000);
        model.Fit(new MnistSampleSource(train, oneHotTargets: !preset.SparseTargets), preset.CreateFitOptions(epochs: 1));
        var x = ScaledTestImages(ImageCount);

        AssertAgrees(model, x, new OnnxExportOptions { IncludePredictedDigit = true }, onnx => OnnxRuntimeRunner.Run(onnx, x.Data, [28, 28, 1]));
    }

    [Fact]
    public void Every_layer_kind_with_batch_normalisation_same_padding_and_dropout_runs_to_the_engines_outputs()
    {
        var (model, x) = TestModels.TrainedWithEveryLayerKind();

        AssertAgrees(model, x, new OnnxExportOptions { IncludePredictedDigit = true }, onnx => OnnxRuntimeRunner.Run(onnx, x.Data, [8, 8, 1]));
    }

    [Fact]
    public void An_ensemble_runs_as_one_graph_to_the_engines_mean_of_its_members()
    {
        var (x, y) = SyntheticData.Quadrants(64);
        Sequential Trained(Sequential model)
        {
            model.Compile(new Adam(learningRate: 0.01), Losses.CategoricalCrossentropy, Metric.Accuracy);
            model.Fit(x, y, batchSize: 16, epochs: 2);
            return model;
        }

        Sequential Convolutional(long seed) => Trained(new Sequential(
            Layers.Input(8, 8, 1), Layers.Conv2D(4, 3, Activation.Relu), Layers.BatchNormalization(momentum: 0.5), Layers.MaxPooling2D(2),
            Layers.Flatten(), Layers.Dense(4, Activation.Softmax))
        { Seed = seed });

        var ensemble = Sequential.Ensemble([Convolutional(1), Convolutional(2), Trained(new Sequential(Layers.Input(8, 8, 1), Layers.Flatten(), Layers.Dense(4, Activation.Softmax)))]);

        AssertAgrees(ensemble, x, new OnnxExportOptions { IncludePredictedDigit = true }, onnx => OnnxRuntimeRunner.Run(onnx, x.Data, [8, 8, 1]));
        var graph = Parse(Export(ensemble, new OnnxExportOptions()));
        Assert.Contains(graph.Graph.Node, n => n.Name == "ensemble/Sum" && n.Input.Count == 3);
        Assert.Contains(graph.Graph.Initializer, t => t.Name == "ensemble/member_1/conv2d/kernel");
    }

    [Fact]
    public void Strides_of_two_with_same_padding_on_odd_sizes_and_batch_normalisation_of_flat_features_run_to_the_engines_outputs()
    {
        var model = new Sequential(
            Layers.Input(9, 9, 1),
            Layers.Conv2D(5, 3, Activation.Relu, strides: 2, padding: Padding.Same),
            Layers.MaxPooling2D(3, strides: 2, padding: Padding.Same),
            Layers.BatchNormalization(momentum: 0.5),
            Layers.Conv2D(4, (2, 3), (2, 1), Padding.Same, Activation.Elu),
            Layers.Flatten(),
            Layers.Dense(7, Activation.Tanh),
            Layers.BatchNormalization(momentum: 0.5),
            Layers.Dense(4, Activation.Softmax))
        { Seed = 11 };
        model.Compile(new Adam(learningRate: 0.01), Losses.CategoricalCrossentropy, Metric.Accuracy);
        var (x, y) = SyntheticData.Quadrants(64, size: 9);
        model.Fit(x, y, batchSize: 16, epochs: 2);

        Assert.Equal([3, 3, 5], model.Layers[2].OutputShape);   // ceil(9 / 2) = 5, then ceil(5 / 2) = 3
        AssertAgrees(model, x, new OnnxExportOptions { IncludePredictedDigit = true }, onnx => OnnxRuntimeRunner.Run(onnx, x.Data, [9, 9, 1]));
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Elu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Softmax)]
    [InlineData(Activation.Linear)]
    public void Each_activation_in_convolutions_dense_layers_and_activation_layers_runs_to_the_engines_outputs(Activation activation)
    {
        var model = new Sequential(
            Layers.Input(6, 6, 1),
            Layers.Conv2D(3, 3, activation),                 // softmax here is over the channels of each pixel
            Layers.Activation(activation),
            Layers.Flatten(),
            Layers.Dense(5, activation),
            Layers.Activation(activation))
        { Seed = 13 };
        var (x, _) = SyntheticData.Quadrants(200, size: 6);

        AssertAgrees(model, x, new OnnxExportOptions { IncludePredictedDigit = true }, onnx => OnnxRuntimeRunner.Run(onnx, x.Data, [6, 6, 1]));
    }

    [Fact]
    public void Grey_level_inputs_fold_an_offset_and_divisor_into_the_graph()
    {
        var model = SyntheticData.SmallCnn(seed: 2);
        var (scaled, _) = SyntheticData.Quadrants(100);
        var greyLevels = scaled.Data.Select(v => MathF.Round(v * 255f)).ToArray();
        var x = Tensor.FromArray(greyLevels.Select(g => (g - 33.5f) / 78.25f).ToArray(), 100, 8, 8, 1);
        var options = new OnnxExportOptions { Input = OnnxInput.GreyLevels, PixelOffset = 33.5f, PixelDivisor = 78.25f, IncludePredictedDigit = true };

        AssertAgrees(model, x, options, onnx => OnnxRuntimeRunner.Run(onnx, greyLevels, [8, 8, 1]));
        Assert.Equal(["Sub", "Div"], Parse(Export(model, options)).Graph.Node.Take(2).Select(n => n.OpType));
    }

    [Theory]
    [InlineData(OnnxInput.GreyLevels)]
    [InlineData(OnnxInput.GreyLevelBytes)]
    public void A_trained_mnist_model_exports_with_its_scaling_and_predicts_its_own_digits_from_grey_levels(OnnxInput input)
    {
        var model = fixture.Result.Model;
        var images = MnistTestData.Test.Images.Span[..(ImageCount * 784)].ToArray();
        var path = Path.Combine(_folder.Path, $"dnn-{input}.onnx");

        model.ExportOnnx(path, input, includePredictedDigit: true);
        var (probabilities, digits) = input == OnnxInput.GreyLevelBytes
            ? OnnxRuntimeRunner.Run(File.ReadAllBytes(path), images, [28, 28, 1])
            : OnnxRuntimeRunner.Run(File.ReadAllBytes(path), images.Select(b => (float)b).ToArray(), [28, 28, 1]);

        var largest = 0f;
        for (var i = 0; i < ImageCount; i++)
        {
            var ours = model.Predict(images.AsSpan(i * 784, 784));
            Assert.Equal(ours.Digit, (int)digits![i]);
            for (var c = 0; c < 10; c++)
            {
                largest = Math.Max(largest, Math.Abs(ours.Scores[c] - probabilities[(i * 10) + c]));
            }
        }

        Assert.True(largest <= Tolerance, $"largest difference {largest:E2}");
        OnnxChecker.AssertValid(path);
    }

    [Fact]
    public void The_file_names_its_producer_opset_and_the_models_figures_and_the_same_model_gives_the_same_bytes()
    {
        var path = Path.Combine(_folder.Path, "model.onnx");
        var loaded = MnistModel.Load(fixture.ModelPath);

        loaded.ExportOnnx(path);
        var again = new MemoryStream();
        loaded.ExportOnnx(again);
        var file = Parse(File.ReadAllBytes(path));

        Assert.Equal(File.ReadAllBytes(path), again.ToArray());
        Assert.Equal(("MnistMl", 8L), (file.ProducerName, file.IrVersion));
        Assert.Equal(13, Assert.Single(file.OpsetImport).Version);
        var metadata = file.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("dnn", metadata["mnistml.preset"]);
        Assert.Equal("x / 255", metadata["mnistml.pixelScaling"]);
        Assert.Equal(loaded.Metrics["testAccuracy"], double.Parse(metadata["mnistml.metrics.testAccuracy"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(loaded.Manifest!.CreatedUtc, DateTime.Parse(metadata["mnistml.createdUtc"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind));
        Assert.Equal("N", file.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam);
    }

    [Fact]
    public void A_file_that_cannot_be_written_leaves_nothing_behind()
    {
        var model = SyntheticData.SmallCnn();
        var blocker = _folder.Write("not-a-folder", [1, 2, 3]);
        var directory = Directory.CreateDirectory(Path.Combine(_folder.Path, "taken.onnx")).FullName;

        var underFile = Path.Combine(blocker, "model.onnx");
        var underFileError = Assert.Throws<FileAccessException>(() => model.ExportOnnx(underFile));
        var directoryError = Assert.Throws<FileAccessException>(() => model.ExportOnnx(directory));

        Assert.Equal((underFile, FileAccessKind.Write), (underFileError.FilePath, underFileError.Access));
        Assert.Equal($"cannot write {directory}: it is a directory.", directoryError.Message);

        Assert.Equal(["not-a-folder"], _folder.FileNames());
        Assert.Empty(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public void A_predicted_digit_needs_a_flat_output_and_the_error_says_so()
    {
        var model = new Sequential(Layers.Input(4, 4, 1), Layers.Conv2D(2, 3));

        var error = Assert.Throws<OnnxExportException>(() => Export(model, new OnnxExportOptions { IncludePredictedDigit = true }));

        Assert.Equal("The predicted digit needs a flat output of class scores, but the model's output is (None, 2, 2, 2).", error.Message);
    }

    [Fact]
    public void A_layer_with_no_onnx_form_is_named_in_the_error_and_no_file_is_written()
    {
        var model = new Sequential(Layers.Input(4, 5), Layers.BatchNormalization(name: "norm"), Layers.Flatten(), Layers.Dense(3, Activation.Softmax));
        var path = Path.Combine(_folder.Path, "norm.onnx");

        var error = Assert.Throws<OnnxExportException>(() => model.ExportOnnx(path));

        Assert.Equal("Layer 'norm' (BatchNormalization) on inputs of (None, 4, 5) has no ONNX form in MnistMl; the model cannot be exported.", error.Message);
        Assert.Empty(_folder.FileNames());
    }

    [Fact]
    public void Preprocessing_a_grey_level_graph_cannot_fold_in_is_an_error_not_a_file_that_skips_it()
    {
        var saved = Path.Combine(_folder.Path, "twice.zip");
        ModelFile.Save(saved, fixture.Result.Model.Network, new ModelFileContents { PixelScalings = [new PixelScaling(0, 2), PixelScaling.UnitRange] });
        var twice = MnistModel.Load(saved);
        var path = Path.Combine(_folder.Path, "twice.onnx");

        var error = Assert.Throws<OnnxExportException>(() => twice.ExportOnnx(path));
        twice.ExportOnnx(path, OnnxInput.Scaled);

        Assert.StartsWith("The model scales grey levels 2 times (x / 2 then x / 255)", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void A_divisor_that_is_not_positive_is_refused()
    {
        var error = Assert.Throws<OnnxExportException>(() => Export(SyntheticData.SmallCnn(), new OnnxExportOptions { Input = OnnxInput.GreyLevels, PixelDivisor = 0 }));

        Assert.Equal("PixelDivisor must be a positive finite number; it is 0.", error.Message);
    }

    private static Tensor ScaledTestImages(int count)
    {
        var bytes = MnistTestData.Test.Images.Span[..(count * 784)];
        var x = new Tensor(count, 28, 28, 1);
        for (var i = 0; i < bytes.Length; i++)
        {
            x.Data[i] = bytes[i] / 255f;
        }

        return x;
    }

    private static byte[] Export(Sequential model, OnnxExportOptions options)
    {
        using var stream = new MemoryStream();
        model.ExportOnnx(stream, options);
        return stream.ToArray();
    }

    private static ModelProto Parse(byte[] onnx) => ModelProto.Parser.ParseFrom(onnx);

    /// <summary>Exports <paramref name="model"/> to a file, runs it, and compares with the engine's own outputs for <paramref name="x"/>.</summary>
    private void AssertAgrees(Sequential model, Tensor x, OnnxExportOptions options, Func<byte[], (float[] Probabilities, long[]? Digits)> run)
    {
        var path = Path.Combine(_folder.Path, $"{model.Name}-{Guid.NewGuid():N}.onnx");
        model.ExportOnnx(path, options);
        var ours = model.Predict(x).Data;
        var (theirs, digits) = run(File.ReadAllBytes(path));

        Assert.Equal(ours.Length, theirs.Length);
        var largest = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest <= Tolerance, $"largest difference between the engine and ONNX Runtime: {largest:E2}");
        var classes = ours.Length / x.Shape[0];
        for (var row = 0; row < x.Shape[0]; row++)
        {
            var scores = ours.AsSpan(row * classes, classes);
            Assert.Equal(scores.IndexOf(TensorMax(scores)), (int)digits![row]);
        }

        OnnxChecker.AssertValid(path);
    }

    private static float TensorMax(ReadOnlySpan<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }
}
