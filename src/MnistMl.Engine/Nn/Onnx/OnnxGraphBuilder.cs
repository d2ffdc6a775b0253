using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace MnistMl.Nn.Onnx;

/// <summary>
/// Appends nodes and weights to an ONNX graph with readable, unique names
/// (<c>conv2d/Conv</c>, <c>conv2d/kernel</c>), so a graph viewer shows our layers.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>ONNX's element types (TensorProto.DataType).</summary>
    public const int FloatElements = 1;
    public const int ByteElements = 2;
    public const int Int64Elements = 7;

    public GraphProto Graph { get; } = new();

    /// <summary>Adds a node with one output, named <c>{scope}/{opType}</c>, and returns that output.</summary>
    public string Add(string scope, string opType, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var name = Unique($"{scope}/{opType}");
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return name;
    }

    /// <summary>
    /// Gives <paramref name="tensor"/> the graph-output name <paramref name="name"/>: the node that
    /// makes it writes under that name (an Identity node does when no node makes it, e.g. the input,
    /// or when other nodes read it too).
    /// </summary>
    public void NameOutput(string tensor, string name)
    {
        var producer = Graph.Node.LastOrDefault(node => node.Output.Contains(tensor));
        if (producer is null || Graph.Node.Any(node => node.Input.Contains(tensor)))
        {
            producer = new NodeProto { Name = Unique($"{name}/Identity"), OpType = "Identity" };
            producer.Input.Add(tensor);
            producer.Output.Add(tensor);
            Graph.Node.Add(producer);
        }

        producer.Output[producer.Output.IndexOf(tensor)] = name;
        _names.Add(name);
    }

    /// <summary>Adds float weights of <paramref name="dims"/> as an initializer named <c>{scope}/{name}</c>.</summary>
    public string Weights(string scope, string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Unique($"{scope}/{name}"), DataType = FloatElements };
        tensor.Dims.AddRange(dims);

        // ONNX's raw data is little-endian, as .NET's floats are on every platform it runs on.
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float scalar constant.</summary>
    public string Scalar(string scope, string name, float value) => Weights(scope, name, [value]);

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Float32(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A tensor's type and shape; a dimension of -1 is the symbolic batch size <c>N</c>.</summary>
    public static ValueInfoProto Value(string name, int elementType, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    private readonly HashSet<string> _names = [];

    private string Unique(string name)
    {
        var unique = name;
        for (var i = 1; !_names.Add(unique); i++)
        {
            unique = $"{name}_{i}";
        }

        return unique;
    }
}
