using System.Text.Json;
using MnistMl.Cli.Commands;
using MnistMl.Tests.Data;
using MnistMl.Tests.Persistence;
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
    public void The_fast_preset_reaches_99_percent_in_two_epochs_and_reports_its_training_time()
    {
        var model = Path.Combine(_folder.Path, "fast.zip");

        var (code, output, error) = Run("train", "--preset", "fast", "--data", MnistTestData.Folder, "-o", model, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        var run = json.RootElement;
        Assert.Equal(2, run.GetProperty("epochs").GetInt32());
        Assert.True(run.GetProperty("testAccuracy").GetDouble() >= 0.99, $"test accuracy {run.GetProperty("testAccuracy").GetDouble()}");
        var epochs = run.GetProperty("epochSeconds").EnumerateArray().Sum(e => e.GetDouble());
        Assert.InRange(run.GetProperty("trainingSeconds").GetDouble(), epochs, epochs + 30);

        // The one-cycle rate ends the run at its floor: peak / 25 / 10⁴, saved as the rate it ended with.
        var rate = (double)ModelZip.ReadManifest(model)["training"]!["optimizer"]!["config"]!["learning_rate"]!;
        Assert.Equal(0.02 / 25 / 1e4, rate, 1e-12);
    }

    [Fact]
    public void An_ensemble_is_its_members_single_runs_saved_as_one_model_and_resumes_once_finished()
    {
        var path = Path.Combine(_folder.Path, "ensemble.zip");
        JsonElement Train(params string[] args)
        {
            var (code, output, error) = Run(["train", "--preset", "dnn", "--epochs", "1", "--data", MnistTestData.Folder, "--json", .. args]);
            Assert.True(code == 0, error);
            return JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]).RootElement.Clone();
        }

        var ensemble = Train("--ensemble", "3", "--seed", "4", "-o", path);
        var single = Train("--seed", "5", "-o", Path.Combine(_folder.Path, "single.zip"));
        var again = Train("--ensemble", "3", "--seed", "4", "-o", path, "--resume");

        var members = ensemble.GetProperty("ensemble").EnumerateArray().ToArray();
        Assert.Equal([4L, 5L, 6L], members.Select(m => m.GetProperty("seed").GetInt64()));
        Assert.Equal(single.GetProperty("weightsSha256").GetString(), members[1].GetProperty("weightsSha256").GetString());
        Assert.Equal(single.GetProperty("testAccuracy").GetDouble(), members[1].GetProperty("testAccuracy").GetDouble());
        Assert.True(ensemble.GetProperty("testAccuracy").GetDouble() > members.Max(m => m.GetProperty("testAccuracy").GetDouble()), "three dnn members vote better than the best of them");
        var model = MnistModel.Load(path);
        Assert.Equal("dnn_ensemble", model.Network.Name);
        Assert.Equal(3, Assert.IsType<MnistMl.Nn.Ensemble>(model.Network.Layers[1]).Members.Count);
        Assert.Equal(ensemble.GetProperty("testAccuracy").GetDouble(), model.Metrics["testAccuracy"]);
        Assert.Equal(["ensemble.zip", "single.zip"], _folder.FileNames().Order());
        Assert.Equal(ensemble.GetProperty("weightsSha256").GetString(), again.GetProperty("weightsSha256").GetString());
        Assert.Equal(ensemble.GetProperty("testAccuracy").GetDouble(), again.GetProperty("testAccuracy").GetDouble());
    }

    [Fact]
    public void Train_augments_when_asked_says_so_and_stays_repeatable()
    {
        string Sha(string name, params string[] augmentation)
        {
            var (code, output, error) = Run(["train", "--preset", "dnn", "--epochs", "1", "--data", MnistTestData.Folder, "-o", Path.Combine(_folder.Path, name), "--json", .. augmentation]);
            Assert.True(code == 0, error);
            if (augmentation.Length > 0)
            {
                Assert.Contains("augmentation: rotation ±10°, shift ±0.1 × ±0.1, zoom ±0.1, shear ±5°, elastic α 3 σ 4)", output, StringComparison.Ordinal);
            }

            using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
            return json.RootElement.GetProperty("weightsSha256").GetString()!;
        }

        string[] augmented = ["--rotation", "10", "--shift", "0.1", "--zoom", "0.1", "--shear", "5", "--elastic", "3"];

        var first = Sha("a.zip", augmented);

        Assert.Equal(first, Sha("b.zip", augmented));
        Assert.NotEqual(first, Sha("plain.zip"));
    }


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

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be a whole number from 1 to 100,000, not '0'.")]
    [InlineData("--epochs", "-1", "--epochs must be a whole number from 1 to 100,000, not '-1'.")]
    [InlineData("--epochs", "1.5", "--epochs must be a whole number from 1 to 100,000, not '1.5'.")]
    [InlineData("--batch-size", "0", "--batch-size must be a whole number from 1 to 60,000, not '0'.")]
    [InlineData("--learning-rate", "NaN", "--learning-rate must be a positive finite number, not 'NaN'.")]
    [InlineData("--learning-rate", "Infinity", "--learning-rate must be a positive finite number, not 'Infinity'.")]
    [InlineData("--validation-split", "1", "--validation-split must be a fraction from 0 up to (not including) 1, not '1'.")]
    [InlineData("--threads", "100000", "--threads must be a whole number from 1 to 256, not '100000'.")]
    public void Train_refuses_an_out_of_range_number_naming_the_option_before_anything_runs(string option, string value, string message)
    {
        var model = _folder.Write("existing.zip", [1, 2, 3]);

        var (code, output, error) = Run("train", option, value, "--data", _folder.Path, "-o", model);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(model));
    }

    [Fact]
    public void Train_banner_names_what_the_options_change_in_the_recipe()
    {
        var banner = TrainCommand.Banner(MnistMl.Training.ModelPreset.Cnn, new MnistMl.Trainers.KerasCnnTrainer.Options { Optimizer = () => MnistMl.Nn.Optimizers.Get("sgd"), Epochs = 1, BatchSize = 64 });

        Assert.Equal($"Training {MnistMl.Training.ModelPreset.Cnn} (this run: optimizer sgd, batch 64, 1 epoch)", banner);
        Assert.Equal($"Training {MnistMl.Training.ModelPreset.Cnn}", TrainCommand.Banner(MnistMl.Training.ModelPreset.Cnn, new MnistMl.Trainers.KerasCnnTrainer.Options()));
    }

    [Fact]
    public void Train_to_a_path_that_cannot_take_the_model_is_an_output_error_before_any_data_is_read()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_folder.Path, "models")).FullName;
        var blocker = _folder.Write("file", [1]);
        var underFile = Path.Combine(blocker, "model.zip");

        var (intoDirectory, _, directoryError) = Run("train", "--data", _folder.Path, "-o", directory);
        var (underAFile, _, fileError) = Run("train", "--data", _folder.Path, "-o", underFile);

        Assert.Equal((5, 5), (intoDirectory, underAFile));
        Assert.Equal($"mnistml: output error: cannot write {directory}: it is a directory.{Environment.NewLine}", directoryError);
        Assert.StartsWith($"mnistml: output error: cannot write {underFile}: ", fileError, StringComparison.Ordinal);
        Assert.Equal(["file"], _folder.FileNames());
    }

    [Fact]
    public void Training_that_diverges_ends_with_7_and_keeps_the_earlier_model()
    {
        var model = _folder.Write("model.zip", [1, 2, 3]);

        var (code, output, error) = Run("train", "--preset", "dnn", "--epochs", "2", "--learning-rate", "1e30", "--data", MnistTestData.Folder, "-o", model);

        Assert.Equal(7, code);
        Assert.Matches(@"^mnistml: training error: the loss became NaN in epoch 1, batch \d+: training diverged, the weights are no longer usable, and no model is kept from that epoch on\. Lower the learning rate \(it was 1E\+30\)\.\r?\n$", error);
        Assert.DoesNotContain("Saved", output, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(model));
        Assert.Equal(["model.zip"], _folder.FileNames());
    }

    [Fact]
    public void Training_images_that_are_not_28_by_28_are_a_data_error_3_naming_the_file()
    {
        var images = _folder.Write("train-images-idx3-ubyte", IdxBytes.UnsignedByteFile(20, 27, 27));
        _folder.Write("train-labels-idx1-ubyte", [.. IdxBytes.Header(IdxBytes.UnsignedByte, 20), .. Enumerable.Range(0, 20).Select(i => (byte)(i % 10))]);
        _folder.Write("t10k-images-idx3-ubyte", IdxBytes.UnsignedByteFile(10, 27, 27));
        _folder.Write("t10k-labels-idx1-ubyte", [.. IdxBytes.Header(IdxBytes.UnsignedByte, 10), .. Enumerable.Range(0, 10).Select(i => (byte)i)]);

        var (code, _, error) = Run("train", "--preset", "dnn", "--epochs", "1", "--data", _folder.Path, "-o", Path.Combine(_folder.Path, "m.zip"));

        Assert.Equal((3, $"mnistml: data error: {images}: holds 27 × 27 images; the presets read MNIST's 28 × 28.{Environment.NewLine}"), (code, error));
    }

    [Fact]
    public void Resume_refuses_a_file_of_another_run_and_leaves_it_alone()
    {
        var model = Path.Combine(_folder.Path, "m.zip");
        var (first, _, firstError) = Run("train", "--preset", "dnn", "--epochs", "1", "--data", MnistTestData.Folder, "-o", model);
        Assert.True(first == 0, firstError);
        var before = File.ReadAllBytes(model);

        var (code, _, error) = Run("train", "--preset", "dnn", "--epochs", "1", "--seed", "9", "--resume", "--data", MnistTestData.Folder, "-o", model);

        Assert.Equal(2, code);
        Assert.Equal($"mnistml: usage error: The saved run trained a 'dnn' model with seed 0; this run trains 'dnn' with seed 9. Resume with the options of the saved run, or train to another file. (Parameter 'saved'){Environment.NewLine}", error);
        Assert.Equal(before, File.ReadAllBytes(model));
    }
}
