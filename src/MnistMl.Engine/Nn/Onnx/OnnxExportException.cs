namespace MnistMl.Nn.Onnx;

/// <summary>
/// A model cannot be written as ONNX as asked: a layer has no ONNX form, or the options do not fit
/// the model. The message names the layer or option and says why; no file is written.
/// </summary>
public sealed class OnnxExportException : MnistMlException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What cannot be exported, and why.</param>
    public OnnxExportException(string message)
        : base(message)
    {
    }
}
