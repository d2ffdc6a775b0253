using System.Numerics;
using MnistMl.Nn.Kernels;

namespace MnistMl.Nn;

/// <summary>Applies an <see cref="Nn.Activation"/> on its own (Keras's <c>Activation</c> layer).</summary>
public sealed class ActivationLayer : Layer
{
    internal ActivationLayer(Activation activation, string? name)
        : base(name)
    {
        Activation = activation;
    }

    /// <summary>The function applied.</summary>
    public Activation Activation { get; }

    /// <inheritdoc/>
    public override string TypeName => "Activation";

    internal override string DefaultNamePrefix => "activation";

    internal override LayerOp<T> CreateOp<T>(int[] inputShape, RandomSource random, long seed) => new ActivationOp<T>(inputShape, Activation);

    internal override int[] ComputeOutputShape(int[] inputShape) => [.. inputShape];

    internal override IReadOnlyDictionary<string, object> GetConfig() =>
        new Dictionary<string, object> { ["activation"] = Activation.ToString().ToLowerInvariant() };
}

internal sealed class ActivationOp<T>(int[] shape, Activation activation) : LayerOp<T>(shape, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]? _output;
    private T[]? _scratch;

    public override T[] Forward(T[] input, int batch, bool training)
    {
        var n = batch * InputSize;
        var output = Ensure(ref _output, n);
        input.AsSpan(0, n).CopyTo(output);
        ActivationFunctions.Forward(activation, output.AsSpan(0, n), OutputShape[^1], Ensure(ref _scratch, n));
        return output;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        if (!OutputGradientIsPreActivation)
        {
            var n = batch * InputSize;
            ActivationFunctions.Backward<T>(activation, _output.AsSpan(0, n), outputGradient.AsSpan(0, n), OutputShape[^1]);
        }

        return outputGradient;
    }
}
