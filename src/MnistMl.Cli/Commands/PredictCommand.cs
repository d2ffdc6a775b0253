using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MnistMl.Data;

namespace MnistMl.Cli.Commands;

/// <summary><c>mnistml predict MODEL --index N ...</c>: the digit the model sees in MNIST test images.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = ModelArgument.Create();
        var indices = new Option<int[]>("--index", "-i") { Description = "Test-set image indices (0–9999); repeat or list several.", AllowMultipleArgumentsPerToken = true, Required = true };
        var data = CliOptions.Data();
        var json = CliOptions.Json();
        var command = new Command("predict", "Predict digits of MNIST test images with a saved model.") { model, indices, data, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var loaded = ModelArgument.Load(parse.GetValue(model)!);
            var test = MnistDataset.Load(MnistSplit.Test, new MnistDataOptions { DataFolder = parse.GetValue(data) }, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            var results = new List<object>();
            foreach (var index in parse.GetValue(indices)!)
            {
                if (index < 0 || index >= test.Count)
                {
                    throw new ArgumentException($"--index {index} is not a test image: use 0–{test.Count - 1}.");
                }

                var prediction = loaded.Predict(test.GetImage(index));
                var label = test.Labels.Span[index];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"#{index}: {prediction.Digit} ({prediction.Probability:P1}), runner-up {prediction.RunnerUp} ({prediction.Scores[prediction.RunnerUp]:P1}); label {label}{(label == prediction.Digit ? string.Empty : "  MISTAKE")}"));
                results.Add(new { index, digit = prediction.Digit, probability = prediction.Probability, label = (int)label, scores = prediction.Scores });
            }

            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(results, CliJson.Options));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
