using System.Numerics;

namespace MnistMl.Nn;

/// <summary>One weight tensor of a layer with its gradient from the last backward pass.</summary>
internal sealed class ParameterBuffer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public ParameterBuffer(string name, int[] shape)
    {
        Name = name;
        Shape = shape;
        Value = new T[Shapes.Product(shape)];
        Gradient = new T[Value.Length];
    }

    /// <summary>Keras's weight name: <c>kernel</c>, <c>bias</c>, <c>gamma</c>, <c>moving_mean</c>, ...</summary>
    public string Name { get; }

    public int[] Shape { get; }

    public T[] Value { get; }

    public T[] Gradient { get; }
}
