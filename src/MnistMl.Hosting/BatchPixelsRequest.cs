namespace MnistMl.Hosting;

/// <summary>The JSON body of <c>POST /predict/batch</c>: <c>{"pixels": [[784 grey levels], ...]}</c>.</summary>
/// <param name="Pixels">One list of 784 grey levels per image.</param>
public sealed record BatchPixelsRequest(float[][] Pixels);
