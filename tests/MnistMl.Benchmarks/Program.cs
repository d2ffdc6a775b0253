using BenchmarkDotNet.Running;
using MnistMl.Benchmarks;

// `profile PRESET [batch] [repeats] [threads] [infer]`: time each layer's forward and backward pass of a preset
// (`infer`: inference-mode forward passes only, what a prediction runs).
// `gemm [threads]`: GFLOP/s of the matrix products of a cnn step.
// `peak [threads]`: the register-only FMA ceiling for 256- and 512-bit vectors.
// `onnx [presets=cnn,mlp,cnn64,dnn] [threads=2] [rounds=3]`: prediction latency and throughput beside ONNX Runtime.
// `mlnet [presets=cnn] [epochs=2] [rounds=3]`: training through ML.NET beside `mnistml bench`, and the three ways to predict one image.
// Anything else goes to BenchmarkDotNet (e.g. `--filter *Gemm*`).
if (args.Length > 0 && args[0] == "profile")
{
    if (args.Length > 4)
    {
        MnistMl.Nn.Kernels.WorkerPool.MaxThreads = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
    }

    LayerProfile.Run(args.Length > 1 ? args[1] : "cnn", args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 128, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20, args.Length > 5 && args[5] == "infer");
    return;
}

if (args.Length > 0 && args[0] == "gemm")
{
    if (args.Length > 1)
    {
        MnistMl.Nn.Kernels.WorkerPool.MaxThreads = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    GemmThroughput.Run(repeats: 15);
    return;
}

if (args.Length > 0 && args[0] == "peak")
{
    FmaPeak.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Environment.ProcessorCount);
    return;
}

if (args.Length > 0 && args[0] == "onnx")
{
    OnnxRuntimePeer.Run(
        (args.Length > 1 ? args[1] : "cnn,mlp,cnn64,dnn").Split(','),
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 3);
    return;
}

if (args.Length > 0 && args[0] == "mlnet")
{
    MlNetPipelinePeer.Run(
        (args.Length > 1 ? args[1] : "cnn").Split(','),
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 3);
    return;
}

if (args.Length > 0 && args[0] == "mlnet-train")
{
    MlNetPipelinePeer.Train(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(LayerProfile).Assembly).Run(args);
