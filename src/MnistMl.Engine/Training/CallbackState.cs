namespace MnistMl.Training;

/// <summary>What a callback must remember to carry on after a resume: named numbers, and arrays (such as best weights).</summary>
public sealed class CallbackState
{
    /// <summary>The callback's type name, checked when the state is restored.</summary>
    public required string Type { get; init; }

    /// <summary>Named numbers: counters, the best figure so far.</summary>
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();

    /// <summary>Arrays, such as the weights of the best epoch.</summary>
    public IReadOnlyList<float[]> Arrays { get; init; } = [];

    /// <summary>The value named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The state has no such value.</exception>
    public double Get(string name) =>
        Values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"The saved state of {Type} has no '{name}'.", nameof(name));
}
