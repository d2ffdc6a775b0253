using Google.Protobuf;
using MnistMl.Nn.Onnx;
using MnistMl.Persistence;

namespace MnistMl.Nn;

public sealed partial class Sequential
{
    /// <summary>
    /// Writes the model as an ONNX file (opset 13, dynamic batch) that ONNX Runtime, ML.NET's
    /// <c>ApplyOnnxModel</c> or any other ONNX runtime runs to the same outputs as this engine:
    /// input <c>input</c>, output <c>probabilities</c> (and <c>digit</c> when asked). The write is
    /// atomic, and the same model and options give the same bytes. See docs/onnx.md.
    /// <code>
    /// net.ExportOnnx("cnn.onnx");                                                 // input: scaled [N, 28, 28, 1]
    /// net.ExportOnnx("cnn.onnx", new OnnxExportOptions { Input = OnnxInput.GreyLevels, IncludePredictedDigit = true });
    /// </code>
    /// </summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX form, or the options do not fit the model.</exception>
    /// <exception cref="IOException">The file cannot be written; nothing is left under <paramref name="path"/>.</exception>
    public void ExportOnnx(string path, OnnxExportOptions? options = null)
    {
        var model = OnnxExporter.Export(this, options ?? new OnnxExportOptions());
        AtomicFile.Write(path, model.WriteTo);
    }

    /// <summary>Writes the model as ONNX to <paramref name="stream"/>; see <see cref="ExportOnnx(string, OnnxExportOptions?)"/>.</summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX form, or the options do not fit the model.</exception>
    public void ExportOnnx(Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        OnnxExporter.Export(this, options ?? new OnnxExportOptions()).WriteTo(stream);
    }
}
