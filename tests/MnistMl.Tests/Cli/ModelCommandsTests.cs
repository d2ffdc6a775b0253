using System.CommandLine;
using System.Text.Json;
using MnistMl.Cli;
using MnistMl.Cli.Commands;
using MnistMl.Tests.Data;

namespace MnistMl.Tests.Cli;

public class ModelCommandsTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Train_json_reports_test_accuracy_and_the_model_path_and_evaluate_reloads_identical_figures()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "dnn.zip");
        var (code, output, error) = Run("train", "--preset", "dnn", "--epochs", "1", "--data", MnistTestData.Folder, "--output", path, "--json");
        Assert.True(code == 0, error);
        using var train = JsonDocument.Parse(LastLine(output));
        Assert.Equal(path, train.RootElement.GetProperty("modelPath").GetString());
        var accuracy = train.RootElement.GetProperty("testAccuracy").GetDouble();
        Assert.True(accuracy > 0.9);
        Assert.Contains("Epoch 1:", output, StringComparison.Ordinal);

        var (evaluateCode, evaluateOutput, evaluateError) = Run("evaluate", path, "--data", MnistTestData.Folder, "--json");
        Assert.True(evaluateCode == 0, evaluateError);
        using var evaluate = JsonDocument.Parse(LastLine(evaluateOutput));
        Assert.Equal(accuracy, evaluate.RootElement.GetProperty("microAccuracy").GetDouble());
    }

    [Theory]
    [InlineData("1000", 4, "mnistml: model file error: ")]
    [InlineData("many", 2, "mnistml: usage error: MNISTML_MAX_MODEL_WEIGHTS must be a whole number of weights from 1 to 268,435,456, not 'many'.")]
    public async Task The_largest_model_a_command_loads_is_set_by_an_environment_variable(string limit, int exitCode, string message)
    {
        using var process = ChildProcess.StartCli(["summary", fixture.ModelPath], new Dictionary<string, string> { [ModelArgument.MaxWeightsVariable] = limit });
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await output;
        await process.WaitForExitAsync();

        Assert.Equal(exitCode, process.ExitCode);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        if (exitCode == 4)
        {
            Assert.Contains("which takes the model past the 1,000 weights this load allows.", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Evaluate_json_has_the_metrics_and_a_10_by_10_confusion_matrix_with_truth_in_rows()
    {
        var (code, output, error) = Run("evaluate", fixture.ModelPath, "--data", MnistTestData.Folder, "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(LastLine(output));
        var root = json.RootElement;
        foreach (var key in new[] { "microAccuracy", "macroAccuracy", "logLoss", "logLossReduction" })
        {
            Assert.True(root.GetProperty(key).GetDouble() > 0, key);
        }

        var matrix = root.GetProperty("confusionMatrix").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        Assert.Equal(10, matrix.Length);
        Assert.All(matrix, row => Assert.Equal(10, row.Length));
        Assert.Equal(MnistTestData.Test.CountLabels(), matrix.Select(row => row.Sum()));
        Assert.Contains("Confusion matrix", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_json_gives_one_entry_per_index_with_digit_and_scores()
    {
        var (code, output, error) = Run("predict", fixture.ModelPath, "--index", "0", "5", "--data", MnistTestData.Folder, "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(LastLine(output));
        var entries = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal([0, 5], entries.Select(e => e.GetProperty("index").GetInt32()));
        Assert.All(entries, e => Assert.Equal(10, e.GetProperty("scores").GetArrayLength()));
        Assert.All(entries, e => Assert.InRange(e.GetProperty("digit").GetInt32(), 0, 9));
    }

    [Fact]
    public void Summary_shows_the_architecture_and_the_recorded_metrics()
    {
        var (code, output, error) = Run("summary", fixture.ModelPath);
        Assert.True(code == 0, error);
        Assert.Contains("Total params: 42,310", output, StringComparison.Ordinal);
        Assert.Contains("testAccuracy", output, StringComparison.Ordinal);
        Assert.Contains("PixelScaling", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Damaged_model_exits_4_with_a_one_line_reason()
    {
        using var folder = new TempFolder();
        var damaged = folder.Write("damaged.zip", File.ReadAllBytes(fixture.ModelPath)[..300]);
        foreach (var command in new[] { "evaluate", "summary" })
        {
            var (code, output, error) = Run(command, damaged);
            Assert.Equal(4, code);
            Assert.Equal(string.Empty, output);
            Assert.Single(error.TrimEnd().Split('\n'));
            Assert.Contains(damaged, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Missing_model_exits_4_and_a_bad_option_exits_2()
    {
        Assert.Equal(4, Run("summary", "/nonexistent/model.zip").Code);
        Assert.Equal(2, Run("train", "--epochs", "many").Code);
        Assert.Equal(2, Run("train", "--optimizer", "adagrad", "--data", MnistTestData.Folder).Code);
    }

    [Fact]
    public void Cancellation_maps_to_exit_code_130() =>
        Assert.Equal(130, CommandRunner.Classify(new OperationCanceledException()).Code);

    private static string LastLine(string output) => output.TrimEnd().Split('\n')[^1];

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand { TrainCommand.Create(), EvaluateCommand.Create(), PredictCommand.Create(), SummaryCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CommandRunner.Run(root, args, error, output);
        return (code, output.ToString(), error.ToString());
    }
}
