using System.Numerics;
using MnistMl.Nn.Kernels;

namespace MnistMl.Nn;

/// <summary>
/// Fully connected layer: <c>y = activation(x · kernel + bias)</c>, kernel of shape (inputs, units),
/// glorot-uniform initialised, bias zero. Its input must be flat (use <see cref="Flatten"/>).
/// </summary>
public sealed class Dense : Layer
{
    internal Dense(int units, Activation activation, string? name)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        Units = units;
        Activation = activation;
    }

    /// <summary>Number of outputs.</summary>
    public int Units { get; }

    /// <summary>Activation applied to the outputs.</summary>
    public Activation Activation { get; }

    /// <inheritdoc/>
    public override string TypeName => "Dense";

    internal override string DefaultNamePrefix => "dense";

    internal override LayerOp<T> CreateOp<T>(int[] inputShape, RandomSource random, long seed) =>
        new DenseOp<T>(FlatInputSize(inputShape), Units, Activation, random);

    internal override int[] ComputeOutputShape(int[] inputShape)
    {
        _ = FlatInputSize(inputShape);
        return [Units];
    }

    internal override IReadOnlyList<(string Name, int[] Shape)> ComputeWeightShapes(int[] inputShape) =>
        [("kernel", [FlatInputSize(inputShape), Units]), ("bias", [Units])];

    private int FlatInputSize(int[] inputShape) => inputShape.Length == 1
        ? inputShape[0]
        : throw new ArgumentException(
            $"Dense layer '{Name}' needs a flat input but gets {Shapes.FormatWithBatch(inputShape)}; add a Flatten layer before it.");

    internal override IReadOnlyDictionary<string, object> GetConfig() =>
        new Dictionary<string, object> { ["units"] = Units, ["activation"] = Activation.ToString().ToLowerInvariant() };
}

/// <summary>Dense forward (one product plus bias and activation) and backward (three products).</summary>
internal sealed class DenseOp<T> : LayerOp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _inputs;
    private readonly int _units;
    private readonly ParameterBuffer<T> _kernel;
    private readonly ParameterBuffer<T> _bias;
    private readonly BiasActivationJob<T> _tail;
    private T[] _input = [];
    private T[]? _output;
    private T[]? _inputGradient;
    private T[]? _scratch;

    public DenseOp(int inputs, int units, Activation activation, RandomSource random)
        : base([inputs], [units])
    {
        _inputs = inputs;
        _units = units;
        _kernel = new ParameterBuffer<T>("kernel", [inputs, units]);
        _bias = new ParameterBuffer<T>("bias", [units]);
        _tail = new BiasActivationJob<T>(activation, _bias.Value);
        Initializers.GlorotUniform<T>(_kernel.Value, inputs, units, random);
        Parameters = [_kernel, _bias];
    }

    public override IReadOnlyList<ParameterBuffer<T>> Parameters { get; }

    public override T[] Forward(T[] input, int batch, bool training)
    {
        _input = input;
        var output = Ensure(ref _output, (long)batch * _units);
        Gemm.Multiply(input, false, _kernel.Value, false, output, batch, _units, _inputs, accumulate: false);
        var values = output.AsSpan(0, batch * _units);
        _tail.Forward(output, values.Length / _units, Ensure(ref _scratch, values.Length));
        return output;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        var gradient = outputGradient.AsSpan(0, batch * _units);
        if (!OutputGradientIsPreActivation)
        {
            _tail.Backward(_output!, outputGradient, gradient.Length / _units);
        }

        // dKernel = xᵀ · dz (inputs × units, summed over the batch); dBias = Σ_batch dz; dx = dz · kernelᵀ.
        Gemm.Multiply(_input, true, outputGradient, false, _kernel.Gradient, _inputs, _units, batch, accumulate: false);
        BiasKernels.SumRows<T>(gradient, _bias.Gradient);
        if (SkipInputGradient)
        {
            return [];
        }

        var inputGradient = Ensure(ref _inputGradient, (long)batch * _inputs);
        Gemm.Multiply(outputGradient, false, _kernel.Value, true, inputGradient, batch, _inputs, _units, accumulate: false);
        return inputGradient;
    }
}
