using System.Numerics;

namespace MnistMl.Nn;

/// <summary>
/// Several networks side by side on the same input, their outputs averaged: for members that end
/// in softmax, the mean of their class probabilities (what Keras's <c>Average()</c> layer gives
/// over models in the functional API). It is one layer of one <see cref="Sequential"/>, so an
/// ensemble saves, loads, predicts and exports to ONNX like any model. Members are usually
/// trained alone and put together with <see cref="Sequential.Ensemble"/>; fitting an ensemble
/// trains its members jointly (the gradient of the mean reaches each member divided by their
/// number).
/// </summary>
public sealed class Ensemble : Layer
{
    /// <summary>Most members an ensemble may have.</summary>
    public const int MaxMembers = 64;

    internal Ensemble(IReadOnlyList<IReadOnlyList<Layer>> members, string? name)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count is < 2 or > MaxMembers)
        {
            throw new ArgumentException($"An ensemble has 2 to {MaxMembers} members, not {members.Count}.", nameof(members));
        }

        for (var m = 0; m < members.Count; m++)
        {
            var layers = members[m] ?? throw new ArgumentException($"Member {m} is null.", nameof(members));
            if (layers.Count == 0 || layers.Any(l => l is null or InputLayer or Ensemble))
            {
                throw new ArgumentException($"Member {m} needs one or more layers, none of them null, an input layer or an ensemble (the ensemble's input is the model's).", nameof(members));
            }

            NameUnnamed(layers);
            if (layers.GroupBy(l => l.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            {
                throw new ArgumentException($"Member {m} has two layers named '{duplicate.Key}'; names must be unique within a member.", nameof(members));
            }
        }

        Members = [.. members.Select(m => (IReadOnlyList<Layer>)[.. m])];
    }

    /// <summary>Each member's layers, from the first after the input to its output.</summary>
    public IReadOnlyList<IReadOnlyList<Layer>> Members { get; }

    /// <inheritdoc/>
    public override string TypeName => "Ensemble";

    internal override string DefaultNamePrefix => "ensemble";

    /// <summary>The prefix of member <paramref name="index"/>'s weights and ONNX nodes within the ensemble: <c>member_0</c>, <c>member_1</c>, ...</summary>
    internal static string MemberScope(int index) => $"member_{index}";

    internal override LayerOp<T> CreateOp<T>(int[] inputShape, RandomSource random, long seed)
    {
        _ = ComputeOutputShape(inputShape);
        return new EnsembleOp<T>(inputShape, [.. Members.Select(layers => Network<T>.Chain(inputShape, layers, random, seed))]);
    }

    internal override int[] ComputeOutputShape(int[] inputShape)
    {
        int[]? output = null;
        for (var m = 0; m < Members.Count; m++)
        {
            var shape = Members[m].Aggregate(inputShape, (s, layer) => layer.ComputeOutputShape(s));
            if (output is not null && !output.SequenceEqual(shape))
            {
                throw new ArgumentException($"member {m} gives outputs of {Shapes.Format(shape)} but member 0 gives {Shapes.Format(output)}; an ensemble averages outputs of one shape.");
            }

            output ??= shape;
        }

        return output!;
    }

    internal override IReadOnlyList<(string Name, int[] Shape)> ComputeWeightShapes(int[] inputShape)
    {
        var weights = new List<(string, int[])>();
        for (var m = 0; m < Members.Count; m++)
        {
            var shape = inputShape;
            foreach (var layer in Members[m])
            {
                weights.AddRange(layer.ComputeWeightShapes(shape).Select(w => ($"{MemberScope(m)}/{layer.Name}/{w.Name}", w.Shape)));
                shape = layer.ComputeOutputShape(shape);
            }
        }

        return weights;
    }

    /// <summary>Empty: the members are layers, written by the model file as configs of their own.</summary>
    internal override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>();
}

/// <summary>
/// The members' networks run one after another on the same input; the output is their sum, in
/// member order, divided by their number, so it does not depend on threads. Backward hands each
/// member the output gradient divided by the number of members, and the input gradient, when a
/// layer before the ensemble needs it, is the members' sum in order.
/// </summary>
internal sealed class EnsembleOp<T> : LayerOp<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _count;
    private T[]? _output;
    private T[]? _memberGradient;
    private T[]? _inputGradient;

    public EnsembleOp(int[] inputShape, Network<T>[] members)
        : base(inputShape, members[0].OutputShape)
    {
        Members = members;
        _count = T.CreateChecked(members.Length);
        Parameters = [.. members.SelectMany((member, m) => Scoped(member, m, member.Parameters))];
        State = [.. members.SelectMany((member, m) => Scoped(member, m, member.Ops.SelectMany(op => op.State)))];
        Weights = [.. members.SelectMany((member, m) => Scoped(member, m, member.Weights))];
        SkipInputGradient = false;
    }

    /// <summary>Passed on to the members: each computes its input gradient only when this op must.</summary>
    public override bool SkipInputGradient
    {
        get => base.SkipInputGradient;
        set
        {
            base.SkipInputGradient = value;
            foreach (var member in Members)
            {
                member.ComputesInputGradient = !value;
            }
        }
    }

    /// <summary>The members' networks, in order.</summary>
    public Network<T>[] Members { get; }

    public override IReadOnlyList<ParameterBuffer<T>> Parameters { get; }

    public override IReadOnlyList<ParameterBuffer<T>> State { get; }

    /// <summary>Member by member, each member's weights in its own save order (its layers' trainable weights, then their state, layer by layer).</summary>
    public override IEnumerable<ParameterBuffer<T>> Weights { get; }

    public override T[] Forward(T[] input, int batch, bool training)
    {
        var n = batch * OutputSize;
        var output = Ensure(ref _output, n).AsSpan(0, n);
        output.Clear();
        foreach (var member in Members)
        {
            var y = member.Forward(input, batch, training).AsSpan(0, n);
            for (var i = 0; i < n; i++)
            {
                output[i] += y[i];
            }
        }

        for (var i = 0; i < n; i++)
        {
            output[i] /= _count;
        }

        return _output!;
    }

    public override T[] Backward(T[] outputGradient, int batch)
    {
        var n = batch * OutputSize;
        var gradient = Ensure(ref _memberGradient, n);
        var inputs = batch * InputSize;
        var dx = SkipInputGradient ? null : Ensure(ref _inputGradient, inputs);
        dx?.AsSpan(0, inputs).Clear();
        foreach (var member in Members)
        {
            // Each member may overwrite the gradient it is given: a fresh copy each.
            for (var i = 0; i < n; i++)
            {
                gradient[i] = outputGradient[i] / _count;
            }

            var memberDx = member.Backward(gradient, batch);
            if (dx is not null)
            {
                for (var i = 0; i < inputs; i++)
                {
                    dx[i] += memberDx![i];
                }
            }
        }

        return dx ?? [];
    }

    /// <summary>A member's weights under the names the ensemble gives them: <c>member_m/layer/weight</c>.</summary>
    private static IEnumerable<ParameterBuffer<T>> Scoped(Network<T> member, int index, IEnumerable<ParameterBuffer<T>> weights)
    {
        var owners = member.Ops.SelectMany((op, i) => op.Weights.Select(w => (w, i))).ToDictionary(p => p.w, p => p.i);
        return weights.Select(w => w.Named($"{Ensemble.MemberScope(index)}/{member.LayerNames[owners[w]]}/{w.Name}"));
    }
}
