using BenchmarkDotNet.Attributes;
using MnistMl.Nn;
using MnistMl.Nn.Kernels;

namespace MnistMl.Benchmarks;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of the kernels a cnn training step spends its time in, each
/// beside its plain reference where one exists. Run: <c>-- --filter *KernelBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int Batch = 128;
    private readonly float[] _patches = BenchmarkData.RandomFloats(Batch * 121 * 288);
    private readonly float[] _kernel = BenchmarkData.RandomFloats(288 * 64);
    private readonly float[] _product = new float[Batch * 121 * 64];
    private readonly float[] _image = BenchmarkData.RandomFloats(26 * 26 * 32);
    private readonly float[] _pooled = new float[13 * 13 * 32];
    private readonly int[] _winners = new int[13 * 13 * 32];
    private readonly float[] _small = BenchmarkData.RandomFloats(64 * 64);
    private readonly float[] _smallProduct = new float[64 * 64];
    private readonly ConvGeometry _pool = ConvGeometry.Create([26, 26, 32], 2, 2, 2, 2, Padding.Valid);
    private readonly ConvGeometry _conv = ConvGeometry.Create([13, 13, 32], 3, 3, 1, 1, Padding.Valid);
    private readonly float[] _convInput = BenchmarkData.RandomFloats(13 * 13 * 32);
    private readonly float[] _convPatches = new float[11 * 11 * 288];
    private readonly ConvGeometry _wideConv = ConvGeometry.Create([26, 26, 64], 3, 3, 1, 1, Padding.Valid);
    private readonly float[] _wideInput = BenchmarkData.RandomFloats(26 * 26 * 64);
    private readonly float[] _wideKernel = BenchmarkData.RandomFloats(3 * 3 * 64 * 32);
    private readonly float[] _widePatches = new float[24 * 24 * 576];
    private readonly float[] _wideOutput = new float[24 * 24 * 32];
    private WinogradConvolution<float> _winograd = null!;

    [GlobalSetup]
    public void Setup()
    {
        _winograd = new WinogradConvolution<float>(_wideConv, 32);
        _winograd.TransformKernel(_wideKernel);
    }

    /// <summary>cnn64's second convolution (26×26×64 → 24×24×32) of one image by Winograd F(2×2, 3×3), on one thread.</summary>
    [Benchmark]
    public void WinogradConv64Forward() => _winograd.Forward(_wideInput, 0, _winograd.TilesPerSample, _wideOutput, 0);

    /// <summary>The same convolution by unfolding the patches and one product, on one thread.</summary>
    [Benchmark]
    public void PatchConv64Forward()
    {
        Im2Col.Unfold<float>(_wideConv, _wideInput, _widePatches);
        Gemm.MultiplyOnCurrentThread(_widePatches, 0, false, _wideKernel, 0, false, _wideOutput, 0, 24 * 24, 32, 576, accumulate: false);
    }

    /// <summary>conv2's forward product for a batch of 128 (15,488 × 64 × 288).</summary>
    [Benchmark]
    public void GemmConv2Forward() => Gemm.Multiply(_patches, false, _kernel, false, _product, Batch * 121, 64, 288, accumulate: false);

    /// <summary>A 64³ product, optimised.</summary>
    [Benchmark]
    public void GemmSmall() => Gemm.Multiply(_small, false, _small, false, _smallProduct, 64, 64, 64, accumulate: false);

    /// <summary>The same 64³ product with the reference triple loop.</summary>
    [Benchmark]
    public void GemmSmallReference() => Gemm.MultiplyReference(_small, false, _small, false, _smallProduct, 64, 64, 64, accumulate: false);

    /// <summary>Unfolding one 13×13×32 sample into 3×3 patches.</summary>
    [Benchmark]
    public void Im2ColUnfold() => Im2Col.Unfold<float>(_conv, _convInput, _convPatches);

    /// <summary>2×2 max pooling of one 26×26×32 sample, vectorised.</summary>
    [Benchmark]
    public void MaxPool() => MaxPoolKernel.Forward<float>(_pool, _image, _pooled, _winners);

    /// <summary>The same pooling with the reference loops.</summary>
    [Benchmark]
    public void MaxPoolReference() => MaxPoolKernel.ForwardReference<float>(_pool, _image, _pooled, _winners, firstChannel: 0);
}
