using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MnistMl.Nn.Kernels;

/// <summary>
/// A 3×3, stride-1 convolution computed with <see cref="Winograd"/> F(2×2, 3×3): the outputs in 2×2
/// tiles, each from a 4×4 block of the input, with 2.25 times fewer multiply-adds than the patch
/// product (16 per tile and pair of channels instead of 36). Forward, the input gradient and the
/// kernel gradient all run in the transformed domain, as 16 matrix products (one per position of
/// the block) over the channels or the tiles.
/// </summary>
/// <remarks>
/// Tiles are numbered through the batch (sample by sample, row by row) and taken in chunks sized so
/// that a chunk's transformed input, outputs and gradients stay in a 1 MB L2 cache. Tiles reaching
/// past the input (odd output sizes, 'same' padding) read zeros; outputs past the edge are dropped.
/// A chunk runs entirely on the calling thread; callers share chunks or samples out. The sums of a
/// result run in an order fixed by the geometry and the range of samples, never by the thread.
/// </remarks>
/// <typeparam name="T">Element type.</typeparam>
internal sealed unsafe class WinogradConvolution<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Default bytes a chunk's transformed blocks may take (input, output gradient, input gradient).</summary>
    public const int DefaultChunkBudgetBytes = 384 * 1024;

    private const int Positions = Winograd.Positions;

    private readonly ConvGeometry _g;
    private readonly int _filters;
    private readonly AlignedBuffer<T> _zeros = new();
    private readonly int _inputPlane;
    private readonly int _outputPlane;
    private readonly AlignedBuffer<T> _transformedKernel = new();
    private readonly AlignedBuffer<T> _transformedKernelTransposed = new();
    private T[] _transformedFrom = [];

    public WinogradConvolution(ConvGeometry geometry, int filters, int chunkBudgetBytes = DefaultChunkBudgetBytes)
    {
        if (!Fits(geometry))
        {
            throw new ArgumentException("Winograd F(2×2, 3×3) needs a 3×3 kernel and strides of 1.", nameof(geometry));
        }

        _g = geometry;
        _filters = filters;
        TilesPerRow = (geometry.OutputWidth + 1) / 2;
        TileRowsPerSample = (geometry.OutputHeight + 1) / 2;
        TilesPerSample = TilesPerRow * TileRowsPerSample;
        var bytesPerTile = (long)Positions * ((2 * geometry.Channels) + filters) * Unsafe.SizeOf<T>();
        ChunkTiles = (int)Math.Max(Gemm.MR, chunkBudgetBytes / bytesPerTile / Gemm.MR * Gemm.MR);
        _zeros.Ensure(Math.Max(geometry.Channels, filters));

        // Planes start on cache lines, a line further apart than their size: at a power-of-two
        // stride the 16 vectors a block transform reads or writes would all fall into one set of
        // the L1 cache.
        var line = AlignedBuffer<T>.LineElements;
        _inputPlane = RoundUp(ChunkTiles * geometry.Channels, line) + line;
        _outputPlane = RoundUp(ChunkTiles * filters, line) + line;
    }

    /// <summary>Gets the 2×2 output tiles in one row of tiles.</summary>
    public int TilesPerRow { get; }

    /// <summary>Gets the rows of 2×2 output tiles of one sample.</summary>
    public int TileRowsPerSample { get; }

    /// <summary>Gets the 2×2 output tiles of one sample.</summary>
    public int TilesPerSample { get; }

    /// <summary>Gets the tiles per chunk: a multiple of the GEMM's micro-tile rows.</summary>
    public int ChunkTiles { get; }

    private int Channels => _g.Channels;

    private int KernelPairs => _g.Channels * _filters;

    private int OutputValuesPerSample => _g.OutputPixels * _filters;

    /// <summary>Whether this algorithm computes convolutions of this shape.</summary>
    public static bool Fits(in ConvGeometry g) =>
        g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1 && g.StrideWidth == 1;

    /// <summary>The output row, counted through the batch, where row of tiles <paramref name="tileRow"/> (counted the same way) starts.</summary>
    public int OutputRowOf(int tileRow) =>
        ((tileRow / TileRowsPerSample) * _g.OutputHeight) + Math.Min(_g.OutputHeight, 2 * (tileRow % TileRowsPerSample));

    /// <summary>
    /// Transforms the kernel (3, 3, C, F) for the products that follow; call before each pass. A
    /// kernel whose bits are those of the last one transformed (every prediction after the first)
    /// is not transformed again: comparing costs a third of transforming.
    /// </summary>
    public void TransformKernel(T[] kernel)
    {
        if (_transformedFrom.Length == kernel.Length && MemoryMarshal.AsBytes(kernel.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(_transformedFrom.AsSpan())))
        {
            return;
        }

        var u = _transformedKernel.Ensure(Positions * KernelPairs);
        Winograd.TransformKernel<T>(kernel, Channels, _filters, u.Array.AsSpan(u.Start, Positions * KernelPairs));
        if (_transformedFrom.Length != kernel.Length)
        {
            _transformedFrom = new T[kernel.Length];
        }

        kernel.CopyTo(_transformedFrom, 0);
    }

    /// <summary>The transformed kernel transposed per position (F × C), which the input gradient's products read.</summary>
    public void TransposeTransformedKernel()
    {
        var (c, f) = (Channels, _filters);
        var (u, ut) = (_transformedKernel, _transformedKernelTransposed.Ensure(Positions * KernelPairs));
        for (var xi = 0; xi < Positions; xi++)
        {
            var from = u.Array.AsSpan(u.Start + (xi * c * f), c * f);
            var to = ut.Array.AsSpan(ut.Start + (xi * c * f), c * f);
            for (var i = 0; i < c; i++)
            {
                for (var j = 0; j < f; j++)
                {
                    to[(j * c) + i] = from[(i * f) + j];
                }
            }
        }
    }

    /// <summary>
    /// The outputs (before bias and activation) of tiles [<paramref name="firstTile"/>, +<paramref name="tiles"/>)
    /// of the batch in <paramref name="input"/>, into <paramref name="output"/>, which holds samples
    /// from <paramref name="outputFirstSample"/> on.
    /// </summary>
    public void Forward(T[] input, int firstTile, int tiles, T[] output, int outputFirstSample)
    {
        var (c, f, chunk) = (Channels, _filters, ChunkTiles);
        var workspace = Workspace.ForCurrentThread();
        var (v, m, u) = (workspace.Input.Ensure(Positions * _inputPlane), workspace.Output.Ensure(Positions * _outputPlane), _transformedKernel);
        var pixels = stackalloc T*[Positions];
        fixed (T* inputPtr = input, outputPtr = output, vArray = v.Array, mArray = m.Array, zerosArray = _zeros.Array, sinkArray = workspace.Sink.Ensure(f).Array)
        {
            var vPtr = vArray + v.Start;
            var mPtr = mArray + m.Start;
            var zeros = zerosArray + _zeros.Start;
            var sinkPtr = sinkArray + workspace.Sink.Start;
            for (var start = firstTile; start < firstTile + tiles; start += chunk)
            {
                var n = Math.Min(chunk, firstTile + tiles - start);
                for (var t = 0; t < n; t++)
                {
                    InputPixels(inputPtr, start + t, zeros, pixels);
                    Winograd.TransformInput(pixels, c, vPtr + (t * c), _inputPlane);
                }

                Gemm.MultiplyManyOnCurrentThread(Positions, v.Array, v.Start, _inputPlane, false, u.Array, u.Start, c * f, false, m.Array, m.Start, _outputPlane, n, f, c, accumulate: false);

                for (var t = 0; t < n; t++)
                {
                    OutputPixels(outputPtr, start + t, outputFirstSample, sinkPtr, pixels);
                    Winograd.TransformOutput(mPtr + (t * f), _outputPlane, f, pixels);
                }
            }
        }
    }

    /// <summary>
    /// Backward for samples [<paramref name="firstSample"/>, +<paramref name="samples"/>): their share of
    /// the kernel gradient into <paramref name="kernelGradient"/> (3, 3, C, F) and, unless null, their
    /// input gradient (overwritten). <paramref name="outputGradient"/> holds the pre-activation
    /// gradients of samples from <paramref name="gradientFirstSample"/> on. Needs
    /// <see cref="TransposeTransformedKernel"/> for the input gradient.
    /// </summary>
    public void Backward(T[] input, int firstSample, int samples, T[] outputGradient, int gradientFirstSample, T[]? inputGradient, Span<T> kernelGradient)
    {
        var (c, f, chunk) = (Channels, _filters, ChunkTiles);
        var workspace = Workspace.ForCurrentThread();
        var v = workspace.Input.Ensure(Positions * _inputPlane);
        var dm = workspace.Output.Ensure(Positions * _outputPlane);
        var dv = workspace.InputGradient.Ensure(Positions * _inputPlane);
        var du = workspace.KernelGradient.Ensure(Positions * KernelPairs);
        var ut = _transformedKernelTransposed;
        inputGradient?.AsSpan(firstSample * _g.InputSize, samples * _g.InputSize).Clear();
        var pixels = stackalloc T*[Positions];
        var firstTile = firstSample * TilesPerSample;
        var end = firstTile + (samples * TilesPerSample);
        fixed (T* inputPtr = input, gradientPtr = outputGradient, inputGradientPtr = inputGradient, vArray = v.Array, dmArray = dm.Array, dvArray = dv.Array, zerosArray = _zeros.Array, sinkArray = workspace.Sink.Ensure(c).Array)
        {
            var vPtr = vArray + v.Start;
            var dmPtr = dmArray + dm.Start;
            var dvPtr = dvArray + dv.Start;
            var zeros = zerosArray + _zeros.Start;
            var sinkPtr = sinkArray + workspace.Sink.Start;
            for (var start = firstTile; start < end; start += chunk)
            {
                var n = Math.Min(chunk, end - start);
                for (var t = 0; t < n; t++)
                {
                    InputPixels(inputPtr, start + t, zeros, pixels);
                    Winograd.TransformInput(pixels, c, vPtr + (t * c), _inputPlane);
                    OutputPixels(gradientPtr, start + t, gradientFirstSample, zeros, pixels);
                    Winograd.TransformOutputGradient(pixels, f, dmPtr + (t * f), _outputPlane);
                }

                // dU(ξ) (C × F) += V(ξ)ᵀ · dM(ξ) over the chunk's tiles, chunks in order.
                Gemm.MultiplyManyOnCurrentThread(Positions, v.Array, v.Start, _inputPlane, true, dm.Array, dm.Start, _outputPlane, false, du.Array, du.Start, c * f, c, f, n, accumulate: start > firstTile);

                if (inputGradient is null)
                {
                    continue;
                }

                Gemm.MultiplyManyOnCurrentThread(Positions, dm.Array, dm.Start, _outputPlane, false, ut.Array, ut.Start, c * f, false, dv.Array, dv.Start, _inputPlane, n, c, f, accumulate: false);

                // Tiles overlap by two pixels: each adds onto its block, in tile order.
                for (var t = 0; t < n; t++)
                {
                    InputPixels(inputGradientPtr, start + t, sinkPtr, pixels);
                    Winograd.AddInputGradient(dvPtr + (t * c), _inputPlane, c, pixels);
                }
            }
        }

        Winograd.TransformKernelGradient<T>(du.Array.AsSpan(du.Start, Positions * KernelPairs), c, f, kernelGradient);
    }

    /// <summary>The 16 pixels of tile <paramref name="tile"/>'s input block; those outside the image point at <paramref name="outside"/>.</summary>
    private void InputPixels(T* images, int tile, T* outside, T** pixels)
    {
        var (sample, row0, column0) = BlockOrigin(tile);
        row0 -= _g.PadTop;
        column0 -= _g.PadLeft;
        var image = images + ((nint)sample * _g.InputSize);
        for (var r = 0; r < 4; r++)
        {
            var y = row0 + r;
            for (var s = 0; s < 4; s++)
            {
                var x = column0 + s;
                var inside = (uint)y < (uint)_g.Height && (uint)x < (uint)_g.Width;
                pixels[(4 * r) + s] = inside ? image + ((((nint)y * _g.Width) + x) * Channels) : outside;
            }
        }
    }

    /// <summary>The four output pixels of tile <paramref name="tile"/> in a buffer of samples from <paramref name="firstSample"/> on; those past the edge point at <paramref name="outside"/>.</summary>
    private void OutputPixels(T* outputs, int tile, int firstSample, T* outside, T** pixels)
    {
        var (sample, row0, column0) = BlockOrigin(tile);
        var image = outputs + ((nint)(sample - firstSample) * OutputValuesPerSample);
        for (var r = 0; r < 2; r++)
        {
            for (var s = 0; s < 2; s++)
            {
                var (y, x) = (row0 + r, column0 + s);
                var inside = y < _g.OutputHeight && x < _g.OutputWidth;
                pixels[(2 * r) + s] = inside ? image + ((((nint)y * _g.OutputWidth) + x) * _filters) : outside;
            }
        }
    }

    private (int Sample, int Row, int Column) BlockOrigin(int tile)
    {
        var sample = tile / TilesPerSample;
        var inSample = tile - (sample * TilesPerSample);
        var tileRow = inSample / TilesPerRow;
        return (sample, 2 * tileRow, 2 * (inSample - (tileRow * TilesPerRow)));
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>One thread's transformed blocks, reused by every layer and every call.</summary>
    private sealed class Workspace
    {
        [ThreadStatic]
        private static Workspace? _current;

        public AlignedBuffer<T> Input { get; } = new();

        public AlignedBuffer<T> Output { get; } = new();

        public AlignedBuffer<T> InputGradient { get; } = new();

        public AlignedBuffer<T> KernelGradient { get; } = new();

        public static Workspace ForCurrentThread() => _current ??= new Workspace();

        /// <summary>Gets where the values of pixels past the edge go: written, never read.</summary>
        public AlignedBuffer<T> Sink { get; } = new();
    }
}
