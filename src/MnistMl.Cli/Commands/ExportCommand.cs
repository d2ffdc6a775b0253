using System.CommandLine;
using System.Text.Json;
using MnistMl.Nn.Onnx;

namespace MnistMl.Cli.Commands;

/// <summary><c>mnistml export MODEL --onnx FILE.onnx</c>: the model in a form other runtimes load.</summary>
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
        var digit = new Option<bool>("--digit") { Description = "Also output the predicted digit (int64 [N, 1]) beside the probabilities." };
        var json = CliOptions.Json();
        var command = new Command("export", "Write a saved model in a form other runtimes load (ONNX).") { model, onnx, input, digit, json };
        command.SetAction(parse =>
        {
            var target = parse.GetValue(onnx) ?? throw new ArgumentException("Say what to write: --onnx FILE.onnx.");
            var loaded = ModelArgument.Load(parse.GetValue(model)!);
            try
            {
                loaded.ExportOnnx(target, Inputs[parse.GetValue(input)!], parse.GetValue(digit));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OutputFileException(target, ex);
            }

            var output = parse.InvocationConfiguration.Output;
            var full = Path.GetFullPath(target);
            output.WriteLine($"Wrote {full} ({new FileInfo(full).Length:N0} bytes; input '{OnnxExportOptions.Defaults.InputName}', output '{OnnxExportOptions.Defaults.OutputName}'{(parse.GetValue(digit) ? $" and '{OnnxExportOptions.Defaults.DigitOutputName}'" : string.Empty)})");
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new { onnxPath = full, bytes = new FileInfo(full).Length }, CliJson.Options));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
