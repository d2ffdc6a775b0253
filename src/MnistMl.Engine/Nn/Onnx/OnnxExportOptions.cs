namespace MnistMl.Nn.Onnx;

/// <summary>
/// How <see cref="Sequential.ExportOnnx(string, OnnxExportOptions?)"/> writes a model: what the
/// input holds, which outputs there are, and the metadata the file carries.
/// </summary>
public sealed class OnnxExportOptions
{
    /// <summary>What the graph's input holds. Default: <see cref="OnnxInput.Scaled"/>.</summary>
    public OnnxInput Input { get; init; } = OnnxInput.Scaled;

    /// <summary>
    /// Subtracted from each grey level before <see cref="PixelDivisor"/> when the input is grey
    /// levels; 0 for the notebooks' <c>x / 255</c>, the pixels' mean when the model was trained
    /// on standardised pixels.
    /// </summary>
    public float PixelOffset { get; init; }

    /// <summary>What each grey level (less <see cref="PixelOffset"/>) is divided by when the input is grey levels. Default 255.</summary>
    public float PixelDivisor { get; init; } = 255f;

    /// <summary>Whether the graph also outputs <c>digit</c>: the index of the largest output, int64 [N, 1]. Default false.</summary>
    public bool IncludePredictedDigit { get; init; }

    /// <summary>The graph's input name. Default <c>input</c>; ML.NET's <c>ApplyOnnxModel</c> wants the feature column's name.</summary>
    public string InputName { get; init; } = Defaults.InputName;

    /// <summary>The network's output name. Default <c>probabilities</c>; <c>Score</c> for ML.NET.</summary>
    public string OutputName { get; init; } = Defaults.OutputName;

    /// <summary>The predicted digit's output name. Default <c>digit</c>.</summary>
    public string DigitOutputName { get; init; } = Defaults.DigitOutputName;

    /// <summary>Key–value pairs written to the file's metadata (e.g. preset, test accuracy, training date), in key order.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The defaults.</summary>
    public static class Defaults
    {
        /// <summary>The ONNX operator set the graph is written for (ai.onnx 13: <c>Softmax</c> over one axis).</summary>
        public const int Opset = 13;

        /// <summary>The ONNX IR version written (8, ONNX 1.10's; read by every runtime of the last years).</summary>
        public const int IrVersion = 8;

        /// <summary>The graph's input name.</summary>
        public const string InputName = "input";

        /// <summary>The network's output: class probabilities for a softmax model, [N, classes].</summary>
        public const string OutputName = "probabilities";

        /// <summary>The optional predicted-digit output.</summary>
        public const string DigitOutputName = "digit";
    }
}
