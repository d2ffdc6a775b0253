using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Visualization;

namespace MnistMl.Cli.Commands;

/// <summary>
/// <c>mnistml report MODEL --out report.html</c>: one self-contained HTML page with the model's
/// test metrics, confusion matrix heat map, per-class figures and most confident mistakes.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var model = ModelArgument.Create();
        var output = new Option<string>("--out", "-o") { Description = "Where to write the HTML page.", DefaultValueFactory = _ => "report.html" };
        var mistakes = new Option<int>("--mistakes")
        {
            Description = "How many of the most confident mistakes to show, 0–1000.",
            DefaultValueFactory = _ => ModelReport.DefaultMistakeCount,
        };
        var data = CliOptions.Data();
        var threads = CliOptions.Threads();
        var json = CliOptions.Json();
        var command = new Command("report", "Write an HTML report of a saved model on the 10,000 MNIST test images: metrics, confusion matrix, per-class figures, most confident mistakes.")
        {
            model, output, mistakes, data, threads, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            CliOptions.ApplyThreads(parse.GetValue(threads));
            var mistakeCount = parse.GetValue(mistakes);
            if (mistakeCount is < 0 or > 1000)
            {
                throw new ArgumentException($"--mistakes must be 0–1000, not {mistakeCount}.");
            }

            var modelPath = parse.GetValue(model)!;
            var loaded = ModelArgument.Load(modelPath);
            var test = MnistDataset.Load(MnistSplit.Test, new MnistDataOptions { DataFolder = parse.GetValue(data) }, cancellationToken);
            var report = ModelReport.Create(loaded, test, mistakeCount, $"Model report: {Path.GetFileName(modelPath)}");
            var path = Path.GetFullPath(parse.GetValue(output)!);
            report.Save(path);
            var writer = parse.InvocationConfiguration.Output;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Saved report {path}: accuracy {report.Metrics.MicroAccuracy:F4}, {report.MistakeTotal:N0} mistakes in {report.Metrics.Count():N0} images"));
            if (parse.GetValue(json))
            {
                writer.WriteLine(JsonSerializer.Serialize(
                    new { reportPath = path, microAccuracy = report.Metrics.MicroAccuracy, mistakes = report.MistakeTotal, shownMistakes = report.Mistakes.Select(m => m.Index) },
                    CliJson.Options));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
