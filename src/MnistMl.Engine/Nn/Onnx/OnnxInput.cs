namespace MnistMl.Nn.Onnx;

/// <summary>What the exported graph's <c>input</c> holds.</summary>
public enum OnnxInput
{
    /// <summary>
    /// The float tensor the network itself takes, already scaled (e.g. [N, 28, 28, 1] in 0–1):
    /// the consumer scales the pixels as the model was trained.
    /// </summary>
    Scaled,

    /// <summary>
    /// Grey levels 0–255 as floats, in the network's input shape; the model's pixel scaling
    /// (<see cref="OnnxExportOptions.PixelOffset"/>, <see cref="OnnxExportOptions.PixelDivisor"/>)
    /// is the first step of the graph, so the consumer needs to know nothing of it.
    /// </summary>
    GreyLevels,

    /// <summary>As <see cref="GreyLevels"/>, but as bytes (ONNX <c>uint8</c>), e.g. an MNIST image as stored.</summary>
    GreyLevelBytes,
}
