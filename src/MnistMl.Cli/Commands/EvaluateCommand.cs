using System.CommandLine;
using System.Text.Json;
using MnistMl.Data;

namespace MnistMl.Cli.Commands;

/// <summary><c>mnistml evaluate MODEL</c>: metrics and confusion matrix on the MNIST test images.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = ModelArgument.Create();
        var data = CliOptions.Data();
        var threads = CliOptions.Threads();
        var json = CliOptions.Json();
        var command = new Command("evaluate", "Evaluate a saved model on the 10,000 MNIST test images.") { model, data, threads, json };
        command.SetAction((parse, cancellationToken) =>
        {
            CliOptions.ApplyThreads(parse.GetValue(threads));
            var loaded = ModelArgument.Load(parse.GetValue(model)!);
            var test = MnistDataset.Load(MnistSplit.Test, new MnistDataOptions { DataFolder = parse.GetValue(data) }, cancellationToken);
            var metrics = loaded.Evaluate(test, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            MetricsTable.Write(CliConsole.Create(output), metrics, withConfusionMatrix: true);
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(MetricsTable.ToJson(metrics), CliJson.Options));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
