using MnistMl.Nn.Kernels;
using Onnx;
using static MnistMl.Nn.Onnx.OnnxGraphBuilder;

namespace MnistMl.Nn.Onnx;

/// <summary>
/// Writes a built <see cref="Sequential"/> as an ONNX graph that computes what the engine computes
/// in inference. The engine keeps images channels-last (N, H, W, C) as Keras does; ONNX's Conv and
/// MaxPool take channels-first (N, C, H, W). So the graph transposes to channels-first before the
/// first convolution or pooling and back before Flatten (or the output), which keeps Flatten's
/// element order, and so a following Dense kernel, exactly ours. Nodes and weights are named after
/// the layers (<c>conv2d/Conv</c>, <c>conv2d/kernel</c>); docs/onnx.md lists each layer's nodes.
/// </summary>
internal static class OnnxExporter
{
    private static readonly string[] BatchNormalizationWeights = ["gamma", "beta", "moving_mean", "moving_variance"];

    public static ModelProto Export(Sequential model, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var graph = new OnnxGraphBuilder();
        graph.Graph.Name = model.Name;
        var x = Input(graph, [.. model.InputShape], options);
        foreach (var layer in model.Layers.Skip(1))
        {
            x = Layer(graph, layer, layer.Op, layer.Name!, x);
        }

        x = ChannelsLast(graph, "output", x);
        graph.NameOutput(x.Name, options.OutputName);
        graph.Graph.Output.Add(Value(options.OutputName, FloatElements, [-1, .. x.Shape.Select(d => (long)d)]));
        if (options.IncludePredictedDigit)
        {
            if (x.Shape.Length != 1)
            {
                throw new OnnxExportException(
                    $"The predicted digit needs a flat output of class scores, but the model's output is {Shapes.FormatWithBatch(x.Shape)}.");
            }

            var digit = graph.Add("digit", "ArgMax", [options.OutputName], Int("axis", 1), Int("keepdims", 1));
            graph.NameOutput(digit, options.DigitOutputName);
            graph.Graph.Output.Add(Value(options.DigitOutputName, Int64Elements, -1, 1));
        }

        var file = new ModelProto
        {
            IrVersion = OnnxExportOptions.Defaults.IrVersion,
            ProducerName = "MnistMl",
            ProducerVersion = MnistMlVersion.Informational,
            Graph = graph.Graph,
        };
        file.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OnnxExportOptions.Defaults.Opset });
        foreach (var (key, value) in options.Metadata.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            file.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return file;
    }

    private static void Validate(OnnxExportOptions options)
    {
        // The graph's own tensors are named scope/op, so a name without '/' never collides with them.
        string[] names = [options.InputName, options.OutputName, options.DigitOutputName];
        if (names.Any(name => string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal)) || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new OnnxExportException(
                $"The input and output names ('{options.InputName}', '{options.OutputName}', '{options.DigitOutputName}') must be distinct, not blank, and without '/'.");
        }

        if (!float.IsFinite(options.PixelOffset))
        {
            throw new OnnxExportException($"PixelOffset must be a finite number; it is {options.PixelOffset}.");
        }

        if (!(float.IsFinite(options.PixelDivisor) && options.PixelDivisor > 0))
        {
            throw new OnnxExportException($"PixelDivisor must be a positive finite number; it is {options.PixelDivisor}.");
        }

        if (!Enum.IsDefined(options.Input))
        {
            throw new OnnxExportException($"Input {(int)options.Input} is not one of {string.Join(", ", Enum.GetNames<OnnxInput>())}.");
        }
    }

    /// <summary>The graph's input and, for grey levels, the model's pixel scaling.</summary>
    private static Tensor Input(OnnxGraphBuilder graph, int[] shape, OnnxExportOptions options)
    {
        var name = options.InputName;
        graph.Graph.Input.Add(Value(name, options.Input == OnnxInput.GreyLevelBytes ? ByteElements : FloatElements, [-1, .. shape.Select(d => (long)d)]));
        if (options.Input == OnnxInput.GreyLevelBytes)
        {
            name = graph.Add("scaling", "Cast", [name], Int("to", FloatElements));
        }

        if (options.Input != OnnxInput.Scaled)
        {
            if (options.PixelOffset != 0)
            {
                name = graph.Add("scaling", "Sub", [name, graph.Scalar("scaling", "offset", options.PixelOffset)]);
            }

            // Div, not Mul by 1/divisor: x / 255f is what the engine's scaling computes, to the bit.
            name = graph.Add("scaling", "Div", [name, graph.Scalar("scaling", "divisor", options.PixelDivisor)]);
        }

        return new Tensor(name, shape, ChannelsFirst: false);
    }

    /// <summary>The nodes of <paramref name="layer"/>, computed by <paramref name="op"/>, named under <paramref name="scope"/>.</summary>
    private static Tensor Layer(OnnxGraphBuilder graph, Layer layer, LayerOp<float> op, string scope, Tensor x)
    {
        var output = op.OutputShape;
        switch (layer)
        {
            case Ensemble ensemble:
                // Each member on the same input, channels-last at its end; then the sum of the
                // members' outputs in order, divided by their number, as the engine computes it.
                var members = ((EnsembleOp<float>)op).Members;
                var outputs = new string[members.Length];
                for (var m = 0; m < members.Length; m++)
                {
                    var memberScope = $"{scope}/{Ensemble.MemberScope(m)}";
                    var y = x;
                    for (var i = 0; i < members[m].Ops.Length; i++)
                    {
                        y = Layer(graph, ensemble.Members[m][i], members[m].Ops[i], $"{memberScope}/{members[m].LayerNames[i]}", y);
                    }

                    outputs[m] = ChannelsLast(graph, memberScope, y).Name;
                }

                var sum = graph.Add(scope, "Sum", outputs);
                return new Tensor(graph.Add(scope, "Div", [sum, graph.Scalar(scope, "members", members.Length)]), output, ChannelsFirst: false);

            case Conv2D conv:
                x = ChannelsFirst(graph, scope, x, layer);
                var g = ConvGeometry.Create(x.Shape, conv.KernelSize.Height, conv.KernelSize.Width, conv.Strides.Height, conv.Strides.Width, conv.Padding);
                var kernel = graph.Weights(
                    scope, "kernel", ToOutputInputHeightWidth(Weight(op, "kernel"), g, conv.Filters), conv.Filters, g.Channels, g.KernelHeight, g.KernelWidth);
                var bias = graph.Weights(scope, "bias", Weight(op, "bias"), conv.Filters);
                var z = graph.Add(
                    scope, "Conv", [x.Name, kernel, bias], Ints("kernel_shape", g.KernelHeight, g.KernelWidth), Ints("strides", g.StrideHeight, g.StrideWidth), Pads(g));
                return Activate(graph, scope, conv.Activation, x with { Name = z, Shape = output });

            case MaxPooling2D pool:
                x = ChannelsFirst(graph, scope, x, layer);
                var p = ConvGeometry.Create(x.Shape, pool.PoolSize.Height, pool.PoolSize.Width, pool.Strides.Height, pool.Strides.Width, pool.Padding);
                var pooled = graph.Add(
                    scope, "MaxPool", [x.Name], Ints("kernel_shape", p.KernelHeight, p.KernelWidth), Ints("strides", p.StrideHeight, p.StrideWidth), Pads(p));
                return x with { Name = pooled, Shape = output };

            case Flatten:
                x = ChannelsLast(graph, scope, x);
                return x.Shape.Length == 1 ? x : new Tensor(graph.Add(scope, "Flatten", [x.Name], Int("axis", 1)), output, ChannelsFirst: false);

            case Dense dense:
                var product = graph.Add(
                    scope,
                    "Gemm",
                    [x.Name, graph.Weights(scope, "kernel", Weight(op, "kernel"), x.Shape[0], dense.Units), graph.Weights(scope, "bias", Weight(op, "bias"), dense.Units)]);
                return Activate(graph, scope, dense.Activation, new Tensor(product, output, ChannelsFirst: false));

            case Dropout:
                return x;   // inverted dropout: the identity in inference

            case BatchNormalization norm when x.Shape.Length is 1 or 3:
                x = x.Shape.Length == 3 ? ChannelsFirst(graph, scope, x, layer) : x;
                var channels = x.Shape[^1];
                var normalized = graph.Add(
                    scope,
                    "BatchNormalization",
                    [x.Name, .. BatchNormalizationWeights.Select(w => graph.Weights(scope, w, Weight(op, w), channels))],
                    Float32("epsilon", (float)norm.Epsilon));
                return x with { Name = normalized };

            case ActivationLayer activation:
                return Activate(graph, scope, activation.Activation, x);

            default:
                throw new OnnxExportException(
                    $"Layer '{scope}' ({layer.TypeName}) on inputs of {Shapes.FormatWithBatch(x.Shape)} has no ONNX form in MnistMl; the model cannot be exported.");
        }
    }

    private static Tensor Activate(OnnxGraphBuilder graph, string scope, Activation activation, Tensor x) => activation switch
    {
        Activation.Linear => x,
        Activation.Relu => x with { Name = graph.Add(scope, "Relu", [x.Name]) },
        Activation.Elu => x with { Name = graph.Add(scope, "Elu", [x.Name], Float32("alpha", 1f)) },
        Activation.Sigmoid => x with { Name = graph.Add(scope, "Sigmoid", [x.Name]) },
        Activation.Tanh => x with { Name = graph.Add(scope, "Tanh", [x.Name]) },

        // Over our last axis, the channels: axis 1 once the image is channels-first.
        Activation.Softmax => x with { Name = graph.Add(scope, "Softmax", [x.Name], Int("axis", x.ChannelsFirst ? 1 : -1)) },
        _ => throw new OnnxExportException($"Activation {activation} of layer '{scope}' has no ONNX form in MnistMl."),
    };

    private static Tensor ChannelsFirst(OnnxGraphBuilder graph, string scope, Tensor x, Layer layer)
    {
        if (x.Shape.Length != 3)
        {
            throw new OnnxExportException(
                $"Layer '{scope}' ({layer.TypeName}) gets inputs of {Shapes.FormatWithBatch(x.Shape)}; ONNX needs (height, width, channels) images here.");
        }

        return x.ChannelsFirst ? x : x with { Name = graph.Add(scope, "Transpose", [x.Name], Ints("perm", 0, 3, 1, 2)), ChannelsFirst = true };
    }

    private static Tensor ChannelsLast(OnnxGraphBuilder graph, string scope, Tensor x) =>
        x.ChannelsFirst ? x with { Name = graph.Add(scope, "Transpose", [x.Name], Ints("perm", 0, 2, 3, 1)), ChannelsFirst = false } : x;

    /// <summary>ONNX's pads, begin then end per axis: [top, left, bottom, right]; 'same' puts the odd one at the bottom/right, as TensorFlow.</summary>
    private static AttributeProto Pads(ConvGeometry g)
    {
        var bottom = Math.Max(((g.OutputHeight - 1) * g.StrideHeight) + g.KernelHeight - g.Height - g.PadTop, 0);
        var right = Math.Max(((g.OutputWidth - 1) * g.StrideWidth) + g.KernelWidth - g.Width - g.PadLeft, 0);
        return Ints("pads", g.PadTop, g.PadLeft, bottom, right);
    }

    /// <summary>Keras's kernel (kh, kw, in, out) as ONNX's Conv weight (out, in, kh, kw).</summary>
    private static float[] ToOutputInputHeightWidth(float[] kernel, ConvGeometry g, int filters)
    {
        var (kh, kw, channels) = (g.KernelHeight, g.KernelWidth, g.Channels);
        var weight = new float[kernel.Length];
        for (var o = 0; o < filters; o++)
        {
            for (var c = 0; c < channels; c++)
            {
                for (var y = 0; y < kh; y++)
                {
                    for (var x = 0; x < kw; x++)
                    {
                        weight[(((((o * channels) + c) * kh) + y) * kw) + x] = kernel[(((((y * kw) + x) * channels) + c) * filters) + o];
                    }
                }
            }
        }

        return weight;
    }

    private static float[] Weight(LayerOp<float> op, string name) =>
        op.Weights.Single(w => w.Name == name).Value;

    /// <summary>A tensor of the graph: its name, its shape per sample in our (channels-last) terms, and whether it is held channels-first.</summary>
    private readonly record struct Tensor(string Name, int[] Shape, bool ChannelsFirst);
}
