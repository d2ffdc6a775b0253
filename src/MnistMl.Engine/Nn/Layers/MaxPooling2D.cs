using System.Numerics;
using MnistMl.Nn.Kernels;

namespace MnistMl.Nn;

/// <summary>
/// Maximum over each window of height × width, per channel. Strides default to the pool size and
/// padding to 'valid', as in Keras.
/// </summary>
public sealed class MaxPooling2D : Layer
{
    internal MaxPooling2D((int Height, int Width) poolSize, (int Height, int Width)? strides, Padding padding, string? name)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize.Height, 1, nameof(poolSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize.Width, 1, nameof(poolSize));
        PoolSize = poolSize;
        Strides = strides ?? poolSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(Strides.Height, 1, nameof(strides));
        ArgumentOutOfRangeException.ThrowIfLessThan(Strides.Width, 1, nameof(strides));
        Padding = padding;
    }

    /// <summary>Window height and width.</summary>
    public (int Height, int Width) PoolSize { get; }

    /// <summary>Step between windows.</summary>
    public (int Height, int Width) Strides { get; }

    /// <summary>Border handling.</summary>
    public Padding Padding { get; }

    /// <inheritdoc/>
    public override string TypeName => "MaxPooling2D";

    internal override string DefaultNamePrefix => "max_pooling2d";

    internal override LayerOp<T> CreateOp<T>(int[] inputShape, RandomSource random, long seed) => new MaxPooling2DOp<T>(Geometry(inputShape));

    internal override int[] ComputeOutputShape(int[] inputShape)
    {
        var g = Geometry(inputShape);
        return [g.OutputHeight, g.OutputWidth, g.Channels];
    }

    private ConvGeometry Geometry(int[] inputShape) => inputShape.Length == 3
        ? ConvGeometry.Create(inputShape, PoolSize.Height, PoolSize.Width, Strides.Height, Strides.Width, Padding)
        : throw new ArgumentException($"MaxPooling2D layer '{Name}' needs (height, width, channels) inputs but gets {Shapes.FormatWithBatch(inputShape)}.");

    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["pool_size"] = new[] { PoolSize.Height, PoolSize.Width },
        ["strides"] = new[] { Strides.Height, Strides.Width },
        ["padding"] = Padding.ToString().ToLowerInvariant(),
    };
}

/// <summary>Forward records which input won each window; backward routes the gradient to it.</summary>
internal sealed class MaxPooling2DOp<T> : LayerOp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly ForwardJob _forward;
    private readonly BackwardJob _backward;
    private T[]? _output;
    private int[]? _winners;
    private byte[]? _winnerPositions;
    private T[]? _inputGradient;
    private bool _pooledByProducer;
    private bool _forwardWasPooledByProducer;

    public MaxPooling2DOp(ConvGeometry geometry)
        : base([geometry.Height, geometry.Width, geometry.Channels], [geometry.OutputHeight, geometry.OutputWidth, geometry.Channels])
    {
        _g = geometry;
        _forward = new ForwardJob(this);
        _backward = new BackwardJob(this);
    }

    /// <summary>
    /// Gets a value indicating whether the windows do not overlap, so each input feeds at most one
    /// output: the convolution before can then pool its own outputs while they are in cache.
    /// </summary>
    public bool CanPoolForProducer =>
        _g.StrideHeight >= _g.KernelHeight && _g.StrideWidth >= _g.KernelWidth && _g.KernelHeight * _g.KernelWidth <= MaxPoolKernel.MaxWindowPositions;

    public ConvGeometry Geometry => _g;

    /// <summary>
    /// Called by the convolution before it: it will write this batch's outputs and winners itself
    /// (winners by their positions in their windows, see <see cref="MaxPoolKernel.ForwardWindowPositions{T}"/>),
    /// so the next <see cref="Forward"/> only hands them on and <see cref="Backward"/> hands the
    /// pooled gradient back unscattered (the convolution scatters it group by group).
    /// </summary>
    public (T[] Output, byte[] WinnerPositions) PoolInProducer(int batch)
    {
        _pooledByProducer = true;
        var size = (long)batch * OutputSize;
        return (Ensure(ref _output, size), Ensure(ref _winnerPositions, size));
    }

    public override T[] Forward(T[] input, int batch, bool training)
    {
        _forwardWasPooledByProducer = _pooledByProducer;
        _pooledByProducer = false;
        if (_forwardWasPooledByProducer)
        {
            return _output!;
        }

        _forward.Input = input;
        _forward.RecordsWinners = training;
        var output = Ensure(ref _output, (long)batch * OutputSize);
        Ensure(ref _winners, (long)batch * OutputSize);
        _forward.Run(batch);
        return output;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        if (SkipInputGradient)
        {
            return [];
        }

        if (_forwardWasPooledByProducer)
        {
            return outputGradient;
        }

        if (!_forward.RecordsWinners)
        {
            throw new InvalidOperationException("Max pooling backward needs a forward pass in training mode: inference does not record the winners.");
        }

        _backward.OutputGradient = outputGradient;
        Ensure(ref _inputGradient, (long)batch * InputSize);
        _backward.Run(batch);
        return _inputGradient!;
    }

    private sealed class ForwardJob(MaxPooling2DOp<T> op) : PerSampleJob
    {
        public T[] Input { get; set; } = [];

        /// <summary>Gets or sets a value indicating whether a backward pass will follow (training).</summary>
        public bool RecordsWinners { get; set; }

        public override void Invoke(int index)
        {
            var g = op._g;
            if (!RecordsWinners)
            {
                MaxPoolKernel.Forward<T>(g, Input.AsSpan(index * g.InputSize, g.InputSize), op._output.AsSpan(index * op.OutputSize, op.OutputSize));
                return;
            }

            MaxPoolKernel.Forward<T>(
                g,
                Input.AsSpan(index * g.InputSize, g.InputSize),
                op._output.AsSpan(index * op.OutputSize, op.OutputSize),
                op._winners.AsSpan(index * op.OutputSize, op.OutputSize));
        }
    }

    private sealed class BackwardJob(MaxPooling2DOp<T> op) : PerSampleJob
    {
        public T[] OutputGradient { get; set; } = [];

        public override void Invoke(int index)
        {
            var inputGradient = op._inputGradient.AsSpan(index * op.InputSize, op.InputSize);
            var outputGradient = OutputGradient.AsSpan(index * op.OutputSize, op.OutputSize);
            var winners = op._winners.AsSpan(index * op.OutputSize, op.OutputSize);
            inputGradient.Clear();
            for (var i = 0; i < outputGradient.Length; i++)
            {
                inputGradient[winners[i]] += outputGradient[i];
            }
        }
    }
}
