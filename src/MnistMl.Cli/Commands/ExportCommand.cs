using System.CommandLine;
using System.Text.Json;
using MnistMl.Nn.Onnx;

namespace MnistMl.Cli.Commands;

/// <summary><c>mnistml export MODEL --onnx FILE.onnx | --mlnet FILE.zip</c>: the model in a form other runtimes load.</summary>
internal static class ExportCommand
{
    private static readonly Dictionary<string, OnnxInput> Inputs = new(StringComparer.Ordinal)
    {
        ["grey-levels"] = OnnxInput.GreyLevels,
        ["grey-level-bytes"] = OnnxInput.GreyLevelBytes,
        ["scaled"] = OnnxInput.Scaled,
    };

    public static Command Create()
    {
        var model = ModelArgument.Create();
        var onnx = new Option<string?>("--onnx") { Description = "Write the network as an ONNX file (opset 13, dynamic batch) for ONNX Runtime and other runtimes." };
        var input = new Option<string>("--input")
        {
            Description = "What the ONNX input holds: grey-levels (floats 0–255, the model's scaling in the graph), grey-level-bytes (uint8), or scaled (the network's own input).",
            DefaultValueFactory = _ => "grey-levels",
        };
        input.AcceptOnlyFromAmong([.. Inputs.Keys]);
        var mlnet = new Option<string?>("--mlnet") { Description = "Write a standard ML.NET model zip that MLContext.Model.Load reads without MnistMl (the network inside as ONNX; input column Image, 784 grey levels)." };
        var digit = new Option<bool>("--digit") { Description = "Also output the predicted digit (int64 [N, 1]) beside the probabilities." };
        var json = CliOptions.Json();
        var command = new Command("export", "Write a saved model in a form other runtimes load (ONNX, or an ML.NET zip).") { model, onnx, mlnet, input, digit, json };
        command.SetAction(parse =>
        {
            var (onnxPath, mlnetPath) = (parse.GetValue(onnx), parse.GetValue(mlnet));
            if ((onnxPath is null) == (mlnetPath is null))
            {
                throw new ArgumentException("Say what to write, one of: --onnx FILE.onnx, --mlnet FILE.zip.");
            }

            var target = (onnxPath ?? mlnetPath)!;
            var loaded = ModelArgument.Load(parse.GetValue(model)!);
            if (onnxPath is not null)
            {
                loaded.ExportOnnx(onnxPath, Inputs[parse.GetValue(input)!], parse.GetValue(digit));
            }
            else
            {
                loaded.SaveAsMlNetModel(target);
            }

            var output = parse.InvocationConfiguration.Output;
            var full = Path.GetFullPath(target);
            var bytes = new FileInfo(full).Length;
            if (onnxPath is not null)
            {
                output.WriteLine($"Wrote {full} ({bytes:N0} bytes; input '{OnnxExportOptions.Defaults.InputName}', output '{OnnxExportOptions.Defaults.OutputName}'{(parse.GetValue(digit) ? $" and '{OnnxExportOptions.Defaults.DigitOutputName}'" : string.Empty)})");
            }
            else
            {
                output.WriteLine($"Wrote {full} ({bytes:N0} bytes; an ML.NET model: input column 'Image', 784 grey levels; outputs 'Score' and 'PredictedLabel')");
            }

            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(onnxPath is not null ? new { onnxPath = full, bytes } : (object)new { mlnetPath = full, bytes }, CliJson.Options));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
