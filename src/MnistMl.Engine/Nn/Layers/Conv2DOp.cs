using System.Numerics;
using System.Runtime.CompilerServices;
using MnistMl.Nn.Kernels;

namespace MnistMl.Nn;

/// <summary>
/// Convolution as a matrix product: patches (B·OH·OW × KH·KW·C) times kernel (KH·KW·C × F).
/// Backward: dKernel = patchesᵀ · dz, dPatches = dz · kernelᵀ folded back onto the input.
/// </summary>
/// <remarks>
/// Batches are cut into small groups of samples, and a task takes one group through every step
/// while its patches sit in the core's cache: forward unfolds, multiplies, adds the bias and
/// activates; backward turns the group's gradients into pre-activation ones, unfolds again,
/// adds the group's share of the kernel and bias gradients into the group's own slot, and
/// multiplies and folds the input gradient. The slots are then summed in group order. Patches
/// of a whole batch never exist (cnn64's would be 42 MB for 32 images, streamed from memory
/// three times per step). Tiny batches (single predictions) have too few groups to share out and
/// split each product across the threads instead, on the whole batch's patches, unfolded for a
/// chunk of samples at a time so that a 1,000-image evaluation stays within a fixed budget.
/// Groups and chunks depend only on the batch size, never on the thread count, and each sum runs
/// in a fixed order, so results are the same for any thread count.
/// </remarks>
internal sealed partial class Conv2DOp<T> : LayerOp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Default values per patch buffer of the ungrouped path (32 MB of float32).</summary>
    public const int DefaultChunkBudget = 8 * 1024 * 1024;

    /// <summary>Default bytes of patches and outputs one group of samples may touch: well inside a 1 MB L2.</summary>
    public const int DefaultGroupBudgetBytes = 384 * 1024;

    /// <summary>Fewer groups than this leave threads idle: the batch then takes the ungrouped path.</summary>
    private const int MinGroups = 4;

    /// <summary>
    /// Input channels from which a 3×3, stride-1 convolution takes Winograd's algorithm by default:
    /// with fewer, its transforms cost more than the multiply-adds they save.
    /// </summary>
    private const int WinogradMinChannels = 16;

    /// <summary>
    /// Input channels up to which convolutions are computed straight from the pixels
    /// (<see cref="DirectConvolution"/>): grey and colour images, for kernels of at most
    /// <see cref="Gemm.KBlock"/> taps, which the product sums in one block as the direct kernel does.
    /// </summary>
    private const int DirectMaxChannels = 3;

    private readonly int _chunkBudget;

    private readonly ConvGeometry _g;
    private readonly int _filters;
    private readonly Activation _activation;
    private readonly int _samplesPerGroup;
    private readonly ParameterBuffer<T> _kernel;
    private readonly ParameterBuffer<T> _bias;
    private readonly BiasActivationJob<T> _tail;
    private readonly UnfoldJob _unfold;
    private readonly FoldJob _fold;
    private readonly ForwardGroupJob _forwardGroups;
    private readonly BackwardGroupJob _backwardGroups;
    private readonly GradientSumJob _gradientSum;
    private readonly WinogradConvolution<T>? _winograd;
    private readonly WinogradForwardJob? _winogradForward;
    private readonly WinogradPooledJob _winogradPooled;
    private WinogradConvolution<T>? _croppedWinograd;
    private ConvGeometry _croppedPool;
    private readonly DirectForwardJob? _directForward;
    private readonly DirectPooledJob _directPooled;
    private T[] _input = [];
    private int _samplesInRun;
    private bool _columnsHoldWholeBatch;
    private T[]? _columns;
    private T[]? _columnGradient;
    private T[]? _output;
    private T[]? _inputGradient;
    private T[]? _scratch;
    private T[]? _groupGradients;
    private T[]? _kernelTransposed;
    private MaxPooling2DOp<T>? _pool;
    private bool _pooledThisBatch;
    private T[] _pooled = [];
    private byte[] _winnerPositions = [];
    private bool _forwardWasInference;

    /// <summary>Creates the op; <paramref name="winograd"/> forces Winograd F(2×2, 3×3) on or off (null: 3×3, stride-1 kernels on at least <see cref="WinogradMinChannels"/> channels).</summary>
    public Conv2DOp(ConvGeometry geometry, int filters, Activation activation, RandomSource random, int chunkBudget = DefaultChunkBudget, int groupBudgetBytes = DefaultGroupBudgetBytes, bool? winograd = null)
        : base([geometry.Height, geometry.Width, geometry.Channels], [geometry.OutputHeight, geometry.OutputWidth, filters])
    {
        _g = geometry;
        _chunkBudget = chunkBudget;
        _filters = filters;
        _activation = activation;
        _kernel = new ParameterBuffer<T>("kernel", [geometry.KernelHeight, geometry.KernelWidth, geometry.Channels, filters]);
        _bias = new ParameterBuffer<T>("bias", [filters]);
        _tail = new BiasActivationJob<T>(activation, _bias.Value);
        var receptiveField = geometry.KernelHeight * geometry.KernelWidth;
        Initializers.GlorotUniform<T>(_kernel.Value, receptiveField * geometry.Channels, receptiveField * filters, random);
        Parameters = [_kernel, _bias];
        if (winograd ?? (WinogradConvolution<T>.Fits(geometry) && geometry.Channels >= WinogradMinChannels))
        {
            _winograd = new WinogradConvolution<T>(geometry, filters);
            _winogradForward = new WinogradForwardJob(this);
        }
        else if (geometry.Channels <= DirectMaxChannels && geometry.PatchSize <= Gemm.KBlock)
        {
            _directForward = new DirectForwardJob(this);
        }

        // A Winograd group holds only its outputs (and their activated copy); its transformed
        // blocks go through the cache in chunks of their own.
        var valuesPerSample = _winograd is null ? PatchRowsPerSample + OutputValuesPerSample : 2 * OutputValuesPerSample;
        _samplesPerGroup = (int)Math.Max(1, groupBudgetBytes / ((long)valuesPerSample * Unsafe.SizeOf<T>()));
        _unfold = new UnfoldJob(this);
        _fold = new FoldJob(this);
        _forwardGroups = new ForwardGroupJob(this);
        _backwardGroups = new BackwardGroupJob(this);
        _gradientSum = new GradientSumJob(this);
        _directPooled = new DirectPooledJob(this);
        _winogradPooled = new WinogradPooledJob(this);
    }

    public override IReadOnlyList<ParameterBuffer<T>> Parameters { get; }

    private int PatchRowsPerSample => _g.OutputPixels * _g.PatchSize;

    private int OutputValuesPerSample => _g.OutputPixels * _filters;

    /// <summary>
    /// Lets this convolution do the work of the max pooling right after it, group by group: its
    /// outputs are pooled while still in cache and never stored whole, and in backward the pooled
    /// gradient is scattered straight into each group's gradient (only the winners get one, and
    /// the activation's derivative there needs only the pooled value). Results are the same as
    /// running the two layers one after the other.
    /// </summary>
    /// <returns>Whether the pair can be fused: non-overlapping windows, an element-wise activation.</returns>
    public bool PoolInto(MaxPooling2DOp<T> pool)
    {
        if (!pool.CanPoolForProducer || _activation == Activation.Softmax || pool.InputSize != OutputSize)
        {
            return false;
        }

        _pool = pool;
        var p = pool.Geometry;
        var (rows, columns) = (((p.OutputHeight - 1) * p.StrideHeight) + p.KernelHeight, ((p.OutputWidth - 1) * p.StrideWidth) + p.KernelWidth);
        if (_winograd is not null && p.PadTop == 0 && p.PadLeft == 0 && rows <= _g.OutputHeight && columns <= _g.OutputWidth)
        {
            // Inference needs only the outputs that pooling windows cover: 10 × 10 of cnn's 11 × 11
            // (25 tiles instead of 36). Each output is computed as the full layer would compute it.
            // 'same' pooling that pads the bottom or right edge reads past the outputs: not cropped.
            _croppedWinograd = new WinogradConvolution<T>(_g with { OutputHeight = rows, OutputWidth = columns }, _filters);
            _croppedPool = ConvGeometry.Create([rows, columns, _filters], p.KernelHeight, p.KernelWidth, p.StrideHeight, p.StrideWidth, Padding.Valid);
        }

        return true;
    }

    /// <summary>Whether inference computes this layer and the pooling after it from the pixels in one pass (<see cref="DirectConvolution.ForwardPooled{T}"/>).</summary>
    private bool PoolsDirectly =>
        _directForward is not null && _pool is not null && _activation is Activation.Relu or Activation.Linear && DirectConvolution.CanPool(_g, _filters, _pool.Geometry);

    /// <summary>Values of one group's slot: its share of the kernel gradient, then of the bias gradient.</summary>
    private int GroupGradientSize => (_g.PatchSize * _filters) + _filters;

    public override T[] Forward(T[] input, int batch, bool training)
    {
        _input = input;
        _pooledThisBatch = false;
        _forwardWasInference = !training;
        if (!training && InferPooled(batch))
        {
            return [];
        }

        _winograd?.TransformKernel(_kernel.Value);
        if (UsesGroups(batch) && _pool is not null)
        {
            // The pooling after this layer hands on the outputs it gets here; this layer's own
            // outputs only ever exist group by group, so there is nothing whole to return.
            _columnsHoldWholeBatch = false;
            (_pooled, _winnerPositions) = _pool.PoolInProducer(batch);
            _pooledThisBatch = true;
            _forwardGroups.Run(batch, [], []);
            return [];
        }

        var output = Ensure(ref _output, (long)batch * OutputValuesPerSample);
        var scratch = Ensure(ref _scratch, (long)batch * OutputValuesPerSample);
        if (UsesGroups(batch))
        {
            _columnsHoldWholeBatch = false;
            _forwardGroups.Run(batch, output, scratch);
            return output;
        }

        if (_winogradForward is not null)
        {
            _winogradForward.Run(_winograd!, _g.OutputWidth, batch, output, scratch);
            return output;
        }

        if (_directForward is not null)
        {
            _columnsHoldWholeBatch = false;
            _directForward.Run(batch, output, scratch);
            return output;
        }

        var chunk = ChunkSize(batch);
        var columns = Ensure(ref _columns, (long)chunk * PatchRowsPerSample);
        for (var first = 0; first < batch; first += chunk)
        {
            var count = Math.Min(chunk, batch - first);
            _columnsHoldWholeBatch = count == batch;
            Unfold(first, count, columns);
            Gemm.Multiply(columns, 0, false, _kernel.Value, 0, false, output, first * OutputValuesPerSample, count * _g.OutputPixels, _filters, _g.PatchSize, accumulate: false);
        }

        _tail.Forward(output, batch * _g.OutputPixels, scratch);
        return output;
    }

    /// <summary>
    /// Inference of this layer and the pooling after it by the routes only prediction takes (the
    /// pooled outputs land in the pooling's buffer); false when neither applies.
    /// </summary>
    private bool InferPooled(int batch)
    {
        if (PoolsDirectly)
        {
            // Pixels → convolution → relu → pooling in one pass per sample.
            _columnsHoldWholeBatch = false;
            (_pooled, _) = _pool!.PoolInProducer(batch);
            _directPooled.Run(batch);
            return true;
        }

        if (_croppedWinograd is null)
        {
            return false;
        }

        // The covered outputs, bias, activation and pooling, group by group.
        _columnsHoldWholeBatch = false;
        _croppedWinograd.TransformKernel(_kernel.Value);
        (_pooled, _) = _pool!.PoolInProducer(batch);
        if (UsesGroups(batch))
        {
            _winogradPooled.Run(batch);
            return true;
        }

        // Too few samples for groups (a single prediction): rows of tiles shared out, then pooling.
        var cropped = _croppedPool.InputSize;
        var covered = Ensure(ref _output, (long)batch * cropped);
        _winogradForward!.Run(_croppedWinograd, _croppedPool.Width, batch, covered, Ensure(ref _scratch, (long)batch * cropped));
        for (var i = 0; i < batch; i++)
        {
            MaxPoolKernel.Forward<T>(_croppedPool, covered.AsSpan(i * cropped, cropped), _pooled.AsSpan(i * _pool.OutputSize, _pool.OutputSize));
        }

        return true;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        if (_forwardWasInference)
        {
            throw new InvalidOperationException("Conv2D backward needs a forward pass in training mode.");
        }

        var inputGradient = SkipInputGradient ? null : Ensure(ref _inputGradient, (long)batch * _g.InputSize);
        // Winograd backward always goes by groups: its products are per chunk of tiles anyway.
        if (UsesGroups(batch) || _winograd is not null)
        {
            var groups = GroupCount(batch);
            var slots = Ensure(ref _groupGradients, (long)groups * GroupGradientSize);
            if (inputGradient is not null && _winograd is not null)
            {
                _winograd.TransposeTransformedKernel();
            }
            else if (inputGradient is not null)
            {
                // kernelᵀ once per batch, so every group's dz · kernelᵀ reads it in place instead of
                // packing the transposed kernel again.
                var kernelTransposed = Ensure(ref _kernelTransposed, _kernel.Value.Length);
                Transpose(_kernel.Value, _g.PatchSize, _filters, kernelTransposed);
            }

            _backwardGroups.Run(batch, outputGradient, inputGradient, slots);
            _gradientSum.Run(groups, slots);
            return inputGradient ?? [];
        }

        var gradient = outputGradient.AsSpan(0, batch * OutputValuesPerSample);
        if (!OutputGradientIsPreActivation)
        {
            _tail.Backward(_output!, outputGradient, gradient.Length / _filters);
        }

        BiasKernels.SumRows<T>(gradient, _bias.Gradient);
        var chunk = ChunkSize(batch);
        var columns = Ensure(ref _columns, (long)chunk * PatchRowsPerSample);
        var columnGradient = SkipInputGradient ? null : Ensure(ref _columnGradient, (long)chunk * PatchRowsPerSample);
        for (var first = 0; first < batch; first += chunk)
        {
            var count = Math.Min(chunk, batch - first);
            var rows = count * _g.OutputPixels;
            var gradientOffset = first * OutputValuesPerSample;
            // When one chunk held the whole batch, the forward pass's patches are still there.
            if (!(_columnsHoldWholeBatch && count == batch))
            {
                Unfold(first, count, columns);
            }

            Gemm.Multiply(columns, 0, true, outputGradient, gradientOffset, false, _kernel.Gradient, 0, _g.PatchSize, _filters, rows, accumulate: first > 0);
            if (columnGradient is not null)
            {
                Gemm.Multiply(outputGradient, gradientOffset, false, _kernel.Value, 0, true, columnGradient, 0, rows, _g.PatchSize, _filters, accumulate: false);
                _fold.First = first;
                _fold.ColumnGradient = columnGradient;
                _fold.InputGradient = inputGradient!;
                _fold.Run(count);
            }
        }

        return inputGradient ?? [];
    }

    /// <summary>Samples per chunk of the ungrouped path: equal chunks within the budget, a function of the batch size alone.</summary>
    private int ChunkSize(int batch)
    {
        var perChunk = Math.Max(1, _chunkBudget / PatchRowsPerSample);
        var chunks = (batch + perChunk - 1) / perChunk;
        return (batch + chunks - 1) / chunks;
    }

    /// <summary><paramref name="destination"/> (columns × rows) = <paramref name="source"/> (rows × columns)ᵀ.</summary>
    private static void Transpose(T[] source, int rows, int columns, T[] destination)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                destination[(c * rows) + r] = source[(r * columns) + c];
            }
        }
    }

    private bool UsesGroups(int batch) => GroupCount(batch) >= MinGroups;

    private int GroupCount(int batch) => (batch + _samplesPerGroup - 1) / _samplesPerGroup;

    private void Unfold(int first, int count, T[] columns)
    {
        _unfold.First = first;
        _unfold.Columns = columns;
        _unfold.Run(count);
    }

    /// <summary>Unfolds batch sample <paramref name="sample"/> into patch block <paramref name="slot"/> of <paramref name="columns"/>.</summary>
    private void UnfoldSample(int sample, T[] columns, int slot) =>
        Im2Col.Unfold<T>(_g, _input.AsSpan(sample * _g.InputSize, _g.InputSize), columns.AsSpan(slot * PatchRowsPerSample, PatchRowsPerSample));

    /// <summary>Folds patch block <paramref name="slot"/> of <paramref name="columnGradient"/> onto batch sample <paramref name="sample"/>'s input gradient.</summary>
    private void FoldSample(int sample, T[] columnGradient, int slot, T[] inputGradient) =>
        Im2Col.Fold<T>(_g, columnGradient.AsSpan(slot * PatchRowsPerSample, PatchRowsPerSample), inputGradient.AsSpan(sample * _g.InputSize, _g.InputSize));

    /// <summary>The first sample of group <paramref name="group"/> and how many it has.</summary>
    private (int First, int Samples) GroupSamples(int group)
    {
        var first = group * _samplesPerGroup;
        return (first, Math.Min(_samplesPerGroup, _samplesInRun - first));
    }

    /// <summary>Unfolds the samples of group <paramref name="group"/> into this thread's patch buffer.</summary>
    private T[] UnfoldGroup(int group)
    {
        var (first, samples) = GroupSamples(group);
        var columns = ThreadBuffers.Columns(_samplesPerGroup * PatchRowsPerSample);
        for (var i = 0; i < samples; i++)
        {
            UnfoldSample(first + i, columns, i);
        }

        return columns;
    }

    /// <summary>
    /// Group <paramref name="group"/>'s outputs before bias and activation, into
    /// <paramref name="outputs"/>, which holds samples from <paramref name="outputsFirstSample"/> on.
    /// </summary>
    private void GroupProduct(int group, T[] outputs, int outputsFirstSample)
    {
        var (first, samples) = GroupSamples(group);
        if (_winograd is not null)
        {
            _winograd.Forward(_input, first * _winograd.TilesPerSample, samples * _winograd.TilesPerSample, outputs, outputsFirstSample);
            return;
        }

        var offset = (first - outputsFirstSample) * OutputValuesPerSample;
        if (_directForward is not null)
        {
            for (var i = 0; i < samples; i++)
            {
                DirectSample(first + i, outputs, offset + (i * OutputValuesPerSample));
            }

            return;
        }

        var columns = UnfoldGroup(group);
        Gemm.MultiplyOnCurrentThread(columns, 0, false, _kernel.Value, 0, false, outputs, offset, samples * _g.OutputPixels, _filters, _g.PatchSize, accumulate: false);
    }

    /// <summary>Batch sample <paramref name="sample"/>'s outputs before bias and activation, computed from its pixels into <paramref name="outputs"/> at <paramref name="offset"/>.</summary>
    private void DirectSample(int sample, T[] outputs, int offset) => DirectConvolution.Forward<T>(
        _g,
        _filters,
        _input.AsSpan(sample * _g.InputSize, _g.InputSize),
        _kernel.Value,
        outputs.AsSpan(offset, OutputValuesPerSample),
        ThreadBuffers.Padded(DirectConvolution.PaddedSize(_g)),
        DirectFinishes ? _bias.Value : default,
        _activation == Activation.Relu);

    /// <summary>Whether the direct convolution adds the bias and applies the activation itself (relu or none), so the outputs need no second pass.</summary>
    private bool DirectFinishes => _directForward is not null && _activation is Activation.Relu or Activation.Linear;

    /// <summary>Bias and activation of rows [<paramref name="firstRow"/>, +<paramref name="rows"/>) on this thread, unless the direct convolution did them.</summary>
    private void FinishRows(T[] values, int firstRow, int rows, T[] scratch)
    {
        if (!DirectFinishes)
        {
            _tail.ForwardRowsOnCurrentThread(values, firstRow, rows, scratch);
        }
    }
}
