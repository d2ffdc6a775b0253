using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MnistMl.Tests.Nn.Onnx;

/// <summary>Runs an exported file in ONNX Runtime (the NuGet package's native runtime) on one batch.</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>The graph's outputs for <paramref name="input"/>: probabilities [N × classes] and, when the graph has it, the digit per row.</summary>
    public static (float[] Probabilities, long[]? Digits) Run(byte[] onnx, float[] input, int[] sampleShape) =>
        Run(onnx, NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input, BatchShape(input.Length, sampleShape))));

    /// <summary>As <see cref="Run(byte[], float[], int[])"/>, for a graph whose input is bytes.</summary>
    public static (float[] Probabilities, long[]? Digits) Run(byte[] onnx, byte[] input, int[] sampleShape) =>
        Run(onnx, NamedOnnxValue.CreateFromTensor("input", new DenseTensor<byte>(input, BatchShape(input.Length, sampleShape))));

    private static int[] BatchShape(int length, int[] sampleShape) => [length / sampleShape.Aggregate(1, (a, b) => a * b), .. sampleShape];

    private static (float[] Probabilities, long[]? Digits) Run(byte[] onnx, NamedOnnxValue input)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        using var results = session.Run([input]);
        var probabilities = results.Single(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();
        var digits = results.SingleOrDefault(r => r.Name == "digit")?.AsEnumerable<long>().ToArray();
        return (probabilities, digits);
    }
}
