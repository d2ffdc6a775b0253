using System.Numerics;
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
/// </summary>
internal sealed class Conv2DOp<T> : LayerOp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly int _filters;
    private readonly Activation _activation;
    private readonly ParameterBuffer<T> _kernel;
    private readonly ParameterBuffer<T> _bias;
    private readonly UnfoldJob _unfold;
    private readonly FoldJob _fold;
    private T[]? _columns;
    private T[]? _columnGradient;
    private T[]? _output;
    private T[]? _inputGradient;
    private T[]? _scratch;

    public Conv2DOp(ConvGeometry geometry, int filters, Activation activation, RandomSource random)
        : base([geometry.Height, geometry.Width, geometry.Channels], [geometry.OutputHeight, geometry.OutputWidth, filters])
    {
        _g = geometry;
        _filters = filters;
        _activation = activation;
        _kernel = new ParameterBuffer<T>("kernel", [geometry.KernelHeight, geometry.KernelWidth, geometry.Channels, filters]);
        _bias = new ParameterBuffer<T>("bias", [filters]);
        var receptiveField = geometry.KernelHeight * geometry.KernelWidth;
        Initializers.GlorotUniform<T>(_kernel.Value, receptiveField * geometry.Channels, receptiveField * filters, random);
        Parameters = [_kernel, _bias];
        _unfold = new UnfoldJob(this);
        _fold = new FoldJob(this);
    }

    public override IReadOnlyList<ParameterBuffer<T>> Parameters { get; }

    public override T[] Forward(T[] input, int batch, bool training)
    {
        var rows = batch * _g.OutputPixels;
        var columns = Ensure(ref _columns, (long)rows * _g.PatchSize);
        _unfold.Input = input;
        _unfold.Columns = columns;
        _unfold.Run(batch);
        var output = Ensure(ref _output, (long)rows * _filters);
        Gemm.Multiply(columns, false, _kernel.Value, false, output, rows, _filters, _g.PatchSize, accumulate: false);
        var values = output.AsSpan(0, rows * _filters);
        BiasKernels.Add<T>(values, _bias.Value);
        ActivationFunctions.Forward(_activation, values, _filters, Ensure(ref _scratch, values.Length));
        return output;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        var rows = batch * _g.OutputPixels;
        var gradient = outputGradient.AsSpan(0, rows * _filters);
        if (!OutputGradientIsPreActivation)
        {
            ActivationFunctions.Backward<T>(_activation, _output.AsSpan(0, gradient.Length), gradient, _filters);
        }

        Gemm.Multiply(_unfold.Columns, true, outputGradient, false, _kernel.Gradient, _g.PatchSize, _filters, rows, accumulate: false);
        BiasKernels.SumRows<T>(gradient, _bias.Gradient);
        if (SkipInputGradient)
        {
            return [];
        }

        var columnGradient = Ensure(ref _columnGradient, (long)rows * _g.PatchSize);
        Gemm.Multiply(outputGradient, false, _kernel.Value, true, columnGradient, rows, _g.PatchSize, _filters, accumulate: false);
        _fold.ColumnGradient = columnGradient;
        _fold.InputGradient = Ensure(ref _inputGradient, (long)batch * _g.InputSize);
        _fold.Run(batch);
        return _fold.InputGradient;
    }

    private sealed class UnfoldJob(Conv2DOp<T> op) : PerSampleJob
    {
        public T[] Input { get; set; } = [];

        public T[] Columns { get; set; } = [];

        public override void Invoke(int index)
        {
            var g = op._g;
            var patchRows = g.OutputPixels * g.PatchSize;
            Im2Col.Unfold<T>(g, Input.AsSpan(index * g.InputSize, g.InputSize), Columns.AsSpan(index * patchRows, patchRows));
        }
    }

    private sealed class FoldJob(Conv2DOp<T> op) : PerSampleJob
    {
        public T[] ColumnGradient { get; set; } = [];

        public T[] InputGradient { get; set; } = [];

        public override void Invoke(int index)
        {
            var g = op._g;
            var patchRows = g.OutputPixels * g.PatchSize;
            Im2Col.Fold<T>(g, ColumnGradient.AsSpan(index * patchRows, patchRows), InputGradient.AsSpan(index * g.InputSize, g.InputSize));
        }
    }
}
