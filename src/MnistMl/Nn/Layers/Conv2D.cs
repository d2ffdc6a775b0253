using System.Numerics;
using System.Runtime.CompilerServices;
using MnistMl.Nn.Kernels;

namespace MnistMl.Nn;

/// <summary>
/// 2-D convolution over height × width × channels inputs (channels last, as Keras):
/// kernel of shape (kernelHeight, kernelWidth, inputChannels, filters), glorot-uniform initialised,
/// bias zero, 'valid' padding and stride 1 by default.
/// </summary>
public sealed class Conv2D : Layer
{
    internal Conv2D(int filters, (int Height, int Width) kernelSize, (int Height, int Width) strides, Padding padding, Activation activation, string? name)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize.Height, 1, nameof(kernelSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize.Width, 1, nameof(kernelSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(strides.Height, 1, nameof(strides));
        ArgumentOutOfRangeException.ThrowIfLessThan(strides.Width, 1, nameof(strides));
        Filters = filters;
        KernelSize = kernelSize;
        Strides = strides;
        Padding = padding;
        Activation = activation;
    }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }

    /// <summary>Window height and width.</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Step between windows, vertically and horizontally.</summary>
    public (int Height, int Width) Strides { get; }

    /// <summary>Border handling.</summary>
    public Padding Padding { get; }

    /// <summary>Activation applied to the outputs.</summary>
    public Activation Activation { get; }

    /// <inheritdoc/>
    public override string TypeName => "Conv2D";

    internal override string DefaultNamePrefix => "conv2d";

    internal override LayerOp<T> CreateOp<T>(int[] inputShape, RandomSource random, long seed) =>
        new Conv2DOp<T>(Geometry(inputShape), Filters, Activation, random);

    internal override int[] ComputeOutputShape(int[] inputShape)
    {
        var g = Geometry(inputShape);
        return [g.OutputHeight, g.OutputWidth, Filters];
    }

    internal override IReadOnlyList<(string Name, int[] Shape)> ComputeWeightShapes(int[] inputShape) =>
        [("kernel", [KernelSize.Height, KernelSize.Width, Geometry(inputShape).Channels, Filters]), ("bias", [Filters])];

    private ConvGeometry Geometry(int[] inputShape) => inputShape.Length == 3
        ? ConvGeometry.Create(inputShape, KernelSize.Height, KernelSize.Width, Strides.Height, Strides.Width, Padding)
        : throw new ArgumentException(
            $"Conv2D layer '{Name}' needs inputs of (height, width, channels) but gets {Shapes.FormatWithBatch(inputShape)}; reshape the images to (28, 28, 1).");

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["filters"] = Filters,
        ["kernel_size"] = new[] { KernelSize.Height, KernelSize.Width },
        ["strides"] = new[] { Strides.Height, Strides.Width },
        ["padding"] = Padding.ToString().ToLowerInvariant(),
        ["activation"] = Activation.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// Convolution as a matrix product: patches (B·OH·OW × KH·KW·C) times kernel (KH·KW·C × F).
/// Backward: dKernel = patchesᵀ · dz, dPatches = dz · kernelᵀ folded back onto the input.
/// Patches are unfolded for a chunk of samples at a time (and again in backward), so those of a
/// large batch never exist at once: a 1,000-image evaluation of cnn64 would need 1.3 GB.
/// Within a chunk, each task takes a small group of samples through unfold, product and
/// activation (backward: product and fold) while they are in its core's cache, instead of
/// streaming the whole chunk through memory once per step; tiny batches (a single prediction)
/// instead split each product across the threads. Every element is summed in the same order on
/// both paths, so results stay the same for any thread count.
/// </summary>
internal sealed class Conv2DOp<T> : LayerOp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Default values per patch buffer (32 MB of float32: a whole cnn batch of 128 fits).</summary>
    public const int DefaultChunkBudget = 8 * 1024 * 1024;

    /// <summary>Bytes of patches and outputs one group of samples may touch: well inside a 1 MB L2.</summary>
    private const int GroupBudgetBytes = 384 * 1024;

    private readonly int _chunkBudget;

    private readonly ConvGeometry _g;
    private readonly int _filters;
    private readonly int _samplesPerGroup;
    private readonly ParameterBuffer<T> _kernel;
    private readonly ParameterBuffer<T> _bias;
    private readonly BiasActivationJob<T> _tail;
    private readonly UnfoldJob _unfold;
    private readonly FoldJob _fold;
    private readonly ForwardGroupJob _forwardGroups;
    private readonly InputGradientGroupJob _inputGradientGroups;
    private T[] _input = [];
    private bool _columnsHoldWholeBatch;
    private T[]? _columns;
    private T[]? _columnGradient;
    private T[]? _output;
    private T[]? _inputGradient;
    private T[]? _scratch;

    public Conv2DOp(ConvGeometry geometry, int filters, Activation activation, RandomSource random, int chunkBudget = DefaultChunkBudget)
        : base([geometry.Height, geometry.Width, geometry.Channels], [geometry.OutputHeight, geometry.OutputWidth, filters])
    {
        _g = geometry;
        _chunkBudget = chunkBudget;
        _filters = filters;
        _kernel = new ParameterBuffer<T>("kernel", [geometry.KernelHeight, geometry.KernelWidth, geometry.Channels, filters]);
        _bias = new ParameterBuffer<T>("bias", [filters]);
        _tail = new BiasActivationJob<T>(activation, _bias.Value);
        var receptiveField = geometry.KernelHeight * geometry.KernelWidth;
        Initializers.GlorotUniform<T>(_kernel.Value, receptiveField * geometry.Channels, receptiveField * filters, random);
        Parameters = [_kernel, _bias];
        var bytesPerSample = (long)(PatchRowsPerSample + OutputValuesPerSample) * Unsafe.SizeOf<T>();
        _samplesPerGroup = (int)Math.Max(1, GroupBudgetBytes / bytesPerSample);
        _unfold = new UnfoldJob(this);
        _fold = new FoldJob(this);
        _forwardGroups = new ForwardGroupJob(this);
        _inputGradientGroups = new InputGradientGroupJob(this);
    }

    public override IReadOnlyList<ParameterBuffer<T>> Parameters { get; }

    private int PatchRowsPerSample => _g.OutputPixels * _g.PatchSize;

    private int OutputValuesPerSample => _g.OutputPixels * _filters;

    public override T[] Forward(T[] input, int batch, bool training)
    {
        _input = input;
        var chunk = ChunkSize(batch);
        var grouped = UsesGroups(chunk);
        var columns = Ensure(ref _columns, (long)chunk * PatchRowsPerSample);
        var output = Ensure(ref _output, (long)batch * OutputValuesPerSample);
        var scratch = Ensure(ref _scratch, (long)batch * OutputValuesPerSample);
        for (var first = 0; first < batch; first += chunk)
        {
            var count = Math.Min(chunk, batch - first);
            _columnsHoldWholeBatch = count == batch;
            if (grouped)
            {
                _forwardGroups.Run(first, count, columns, output, scratch);
                continue;
            }

            Unfold(first, count, columns);
            Gemm.Multiply(columns, 0, false, _kernel.Value, 0, false, output, first * OutputValuesPerSample, count * _g.OutputPixels, _filters, _g.PatchSize, accumulate: false);
        }

        if (!grouped)
        {
            _tail.Forward(output, batch * _g.OutputPixels, scratch);
        }

        return output;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        var gradient = outputGradient.AsSpan(0, batch * OutputValuesPerSample);
        if (!OutputGradientIsPreActivation)
        {
            _tail.Backward(_output!, outputGradient, gradient.Length / _filters);
        }

        BiasKernels.SumRows<T>(gradient, _bias.Gradient);
        var chunk = ChunkSize(batch);
        var grouped = UsesGroups(chunk);
        var columns = Ensure(ref _columns, (long)chunk * PatchRowsPerSample);
        var columnGradient = SkipInputGradient ? null : Ensure(ref _columnGradient, (long)chunk * PatchRowsPerSample);
        var inputGradient = SkipInputGradient ? null : Ensure(ref _inputGradient, (long)batch * _g.InputSize);
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
            if (columnGradient is null)
            {
                continue;
            }

            if (grouped)
            {
                _inputGradientGroups.Run(first, count, outputGradient, columnGradient, inputGradient!);
                continue;
            }

            Gemm.Multiply(outputGradient, gradientOffset, false, _kernel.Value, 0, true, columnGradient, 0, rows, _g.PatchSize, _filters, accumulate: false);
            _fold.First = first;
            _fold.ColumnGradient = columnGradient;
            _fold.InputGradient = inputGradient!;
            _fold.Run(count);
        }

        return inputGradient ?? [];
    }

    /// <summary>Samples per chunk: equal chunks within the budget, a function of the batch size alone.</summary>
    private int ChunkSize(int batch)
    {
        var perChunk = Math.Max(1, _chunkBudget / PatchRowsPerSample);
        var chunks = (batch + perChunk - 1) / perChunk;
        return (batch + chunks - 1) / chunks;
    }

    /// <summary>Groups pay off when every thread gets at least two; fewer samples split each product instead.</summary>
    private bool UsesGroups(int samples) => GroupCount(samples) >= 2 * WorkerPool.Shared.ThreadCount;

    private int GroupCount(int samples) => (samples + _samplesPerGroup - 1) / _samplesPerGroup;

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

    private sealed class UnfoldJob(Conv2DOp<T> op) : PerSampleJob
    {
        public int First { get; set; }

        public T[] Columns { get; set; } = [];

        public override void Invoke(int index) => op.UnfoldSample(First + index, Columns, index);
    }

    private sealed class FoldJob(Conv2DOp<T> op) : PerSampleJob
    {
        public int First { get; set; }

        public T[] ColumnGradient { get; set; } = [];

        public T[] InputGradient { get; set; } = [];

        public override void Invoke(int index) => op.FoldSample(First + index, ColumnGradient, index, InputGradient);
    }

    /// <summary>Forward for one group of samples of a chunk: unfold, product, bias and activation.</summary>
    private sealed class ForwardGroupJob(Conv2DOp<T> op) : IParallelBody
    {
        private int _first, _count;
        private T[] _columns = [], _output = [], _scratch = [];

        public void Run(int first, int count, T[] columns, T[] output, T[] scratch)
        {
            (_first, _count, _columns, _output, _scratch) = (first, count, columns, output, scratch);
            WorkerPool.Shared.Run(op.GroupCount(count), this);
            (_columns, _output, _scratch) = ([], [], []);
        }

        public void Invoke(int index)
        {
            var slot = index * op._samplesPerGroup;
            var samples = Math.Min(op._samplesPerGroup, _count - slot);
            for (var i = 0; i < samples; i++)
            {
                op.UnfoldSample(_first + slot + i, _columns, slot + i);
            }

            var g = op._g;
            var firstRow = (_first + slot) * g.OutputPixels;
            Gemm.MultiplyOnCurrentThread(_columns, slot * op.PatchRowsPerSample, false, op._kernel.Value, 0, false, _output, firstRow * op._filters, samples * g.OutputPixels, op._filters, g.PatchSize, accumulate: false);
            op._tail.ForwardRowsOnCurrentThread(_output, firstRow, samples * g.OutputPixels, _scratch);
        }
    }

    /// <summary>Input gradient for one group of samples of a chunk: dPatches = dz · kernelᵀ, folded at once.</summary>
    private sealed class InputGradientGroupJob(Conv2DOp<T> op) : IParallelBody
    {
        private int _first, _count;
        private T[] _outputGradient = [], _columnGradient = [], _inputGradient = [];

        public void Run(int first, int count, T[] outputGradient, T[] columnGradient, T[] inputGradient)
        {
            (_first, _count, _outputGradient, _columnGradient, _inputGradient) = (first, count, outputGradient, columnGradient, inputGradient);
            WorkerPool.Shared.Run(op.GroupCount(count), this);
            (_outputGradient, _columnGradient, _inputGradient) = ([], [], []);
        }

        public void Invoke(int index)
        {
            var slot = index * op._samplesPerGroup;
            var samples = Math.Min(op._samplesPerGroup, _count - slot);
            var g = op._g;
            Gemm.MultiplyOnCurrentThread(_outputGradient, (_first + slot) * op.OutputValuesPerSample, false, op._kernel.Value, 0, true, _columnGradient, slot * op.PatchRowsPerSample, samples * g.OutputPixels, g.PatchSize, op._filters, accumulate: false);
            for (var i = 0; i < samples; i++)
            {
                op.FoldSample(_first + slot + i, _columnGradient, slot + i, _inputGradient);
            }
        }
    }
}
