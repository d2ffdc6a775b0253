using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace MnistMl.Cli.Commands;

/// <summary><c>mnistml summary MODEL</c>: Keras's architecture table and what the model file records.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = ModelArgument.Create();
        var json = CliOptions.Json();
        var command = new Command("summary", "Show a saved model's architecture, preprocessing, training recipe and metrics.") { model, json };
        command.SetAction(parse =>
        {
            var loaded = ModelArgument.Load(parse.GetValue(model)!);
            var manifest = loaded.Manifest!;
            var output = parse.InvocationConfiguration.Output;
            loaded.Network.Summary(output);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Format: {manifest.Format} v{manifest.FormatVersion}, written by MnistMl {manifest.LibraryVersion} on {manifest.CreatedUtc:u}"));
            output.WriteLine($"Input: {string.Join(", ", manifest.InputSchema.Select(c => $"{c.Name} {c.Type}{(c.Dimensions is { } d ? $"[{string.Join('×', d)}]" : string.Empty)}"))}");
            output.WriteLine($"Preprocessing: {(manifest.Preprocessing.Count == 0 ? "none" : string.Join(" → ", manifest.Preprocessing.Select(p => p.Type)))}");
            foreach (var (name, value) in manifest.Metrics ?? new Dictionary<string, double>())
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:G6}"));
            }

            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(manifest, CliJson.Options));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
