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

    private ParameterBuffer(string name, int[] shape, T[] value, T[] gradient)
    {
        Name = name;
        Shape = shape;
        Value = value;
        Gradient = gradient;
    }

    /// <summary>Keras's weight name: <c>kernel</c>, <c>bias</c>, <c>gamma</c>, <c>moving_mean</c>, ...</summary>
    public string Name { get; }

    public int[] Shape { get; }

    public T[] Value { get; }

    public T[] Gradient { get; }

    /// <summary>The same weight (its values and gradient shared, not copied) under another name: a member's weight as its ensemble names it.</summary>
    public ParameterBuffer<T> Named(string name) => new(name, Shape, Value, Gradient);
}
