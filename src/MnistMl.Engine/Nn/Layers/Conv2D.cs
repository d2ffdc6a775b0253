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
