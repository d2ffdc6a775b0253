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
    private readonly ConvGeometry _firstConv = ConvGeometry.Create([28, 28, 1], 3, 3, 1, 1, Padding.Valid);
    private readonly float[] _digit = BenchmarkData.RandomFloats(28 * 28);
    private readonly float[] _firstKernel = BenchmarkData.RandomFloats(9 * 32);
    private readonly float[] _firstBias = BenchmarkData.RandomFloats(32);
    private readonly float[] _firstPatches = new float[26 * 26 * 9];
    private readonly float[] _firstOutput = new float[26 * 26 * 32];
    private readonly float[] _cnnKernel = BenchmarkData.RandomFloats(3 * 3 * 32 * 64);
    private readonly float[] _cnnOutput = new float[11 * 11 * 64];
    private WinogradConvolution<float> _winograd = null!;
    private WinogradConvolution<float> _cnnWinograd = null!;
    private WinogradConvolution<float> _croppedWinograd = null!;
    private readonly float[] _eluValues = BenchmarkData.RandomFloats(10 * 10 * 64);
    private readonly float[] _eluScratch = new float[10 * 10 * 64];

    [GlobalSetup]
    public void Setup()
    {
        _winograd = new WinogradConvolution<float>(_wideConv, 32);
        _winograd.TransformKernel(_wideKernel);
        _cnnWinograd = new WinogradConvolution<float>(_conv, 64);
        _cnnWinograd.TransformKernel(_cnnKernel);
        _croppedWinograd = new WinogradConvolution<float>(_conv with { OutputHeight = 10, OutputWidth = 10 }, 64);
        _croppedWinograd.TransformKernel(_cnnKernel);
    }

    /// <summary>The 10×10 outputs of cnn's second convolution that its pooling reads (25 tiles), as inference computes them.</summary>
    [Benchmark]
    public void WinogradConv2CroppedForward() => _croppedWinograd.Forward(_convInput, 0, _croppedWinograd.TilesPerSample, _cnnOutput, 0);

    /// <summary>elu on those 10×10×64 outputs.</summary>
    [Benchmark]
    public void EluConv2Outputs() => ActivationFunctions.Forward<float>(Activation.Elu, _eluValues, 64, _eluScratch);

    /// <summary>cnn's second convolution (13×13×32 → 11×11×64) of one image by Winograd, on one thread, kernel already transformed.</summary>
    [Benchmark]
    public void WinogradConv2Forward() => _cnnWinograd.Forward(_convInput, 0, _cnnWinograd.TilesPerSample, _cnnOutput, 0);

    /// <summary>Transforming cnn's second kernel (3×3×32×64) for Winograd, which every forward pass does.</summary>
    [Benchmark]
    public void WinogradConv2TransformKernel() => _cnnWinograd.TransformKernel(_cnnKernel);

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

    /// <summary>cnn's first convolution (28×28×1 → 26×26×32) of one image straight from its pixels, on one thread.</summary>
    [Benchmark]
    public void DirectConv1Forward() => DirectConvolution.Forward<float>(_firstConv, 32, _digit, _firstKernel, _firstOutput, []);

    /// <summary>cnn's first convolution, bias, relu and 2×2 pooling of one image in one pass (inference), on one thread.</summary>
    [Benchmark]
    public void DirectConv1PooledForward() =>
        DirectConvolution.ForwardPooled<float>(_firstConv, 32, _digit, _firstKernel, _firstBias, relu: true, _pool, _pooled, []);

    /// <summary>The same convolution by unfolding the patches and one product, on one thread.</summary>
    [Benchmark]
    public void PatchConv1Forward()
    {
        Im2Col.Unfold<float>(_firstConv, _digit, _firstPatches);
        Gemm.MultiplyOnCurrentThread(_firstPatches, 0, false, _firstKernel, 0, false, _firstOutput, 0, 26 * 26, 32, 9, accumulate: false);
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
