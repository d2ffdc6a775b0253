namespace MnistMl.Nn;

public sealed partial class Sequential
{
    /// <summary>
    /// Puts trained models together as one that averages their outputs: an input layer and an
    /// <see cref="Nn.Ensemble"/> of the members' layers, with copies of their weights. The members
    /// stay as they are. The result predicts, saves and exports like any model.
    /// </summary>
    /// <param name="members">2 to <see cref="Nn.Ensemble.MaxMembers"/> models of one input shape and one output shape.</param>
    /// <param name="name">The model's name; by default the first member's with <c>_ensemble</c>.</param>
    /// <exception cref="ArgumentException">Too few or too many members, a null one, or members of different input or output shapes.</exception>
    public static Sequential Ensemble(IReadOnlyList<Sequential> members, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Any(m => m is null))
        {
            throw new ArgumentException("A member is null.", nameof(members));
        }

        var shape = members.Count > 0 ? members[0].InputShape : [];
        if (members.FirstOrDefault(m => !m.InputShape.SequenceEqual(shape)) is { } other)
        {
            throw new ArgumentException(
                $"Member '{other.Name}' takes inputs of {Shapes.Format([.. other.InputShape])} but '{members[0].Name}' takes {Shapes.Format([.. shape])}; members share one input.", nameof(members));
        }

        var ensemble = new Sequential(Nn.Layers.Input([.. shape]), Nn.Layers.Ensemble([.. members.Select(m => m.Layers.Skip(1).ToArray())]))
        {
            Name = name ?? $"{members[0].Name}_ensemble",
            Seed = members[0].Seed,
        };
        Network<float> network;
        try
        {
            network = ensemble.Network;
        }
        catch (InvalidOperationException ex) when (ex.InnerException is ArgumentException inner)
        {
            throw new ArgumentException(inner.Message, nameof(members), ex);
        }

        var targets = network.Weights;
        var sources = members.SelectMany(m => m.Network.Weights).ToArray();
        for (var i = 0; i < targets.Count; i++)
        {
            sources[i].Value.CopyTo(targets[i].Value, 0);
        }

        return ensemble;
    }
}
