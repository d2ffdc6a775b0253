namespace MnistMl.Nn;

/// <summary>Optimizers by Keras name, as <c>keras.optimizers.get("adam")</c> gives them: Keras's defaults.</summary>
public static class Optimizers
{
    /// <summary>The names <see cref="Get"/> knows: adam, rmsprop, sgd.</summary>
    public static IReadOnlyList<string> Names { get; } = ["adam", "rmsprop", "sgd"];

    /// <summary>A new optimizer of that name (case-insensitive) with Keras's defaults.</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known ones.</exception>
    public static Optimizer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "adam" => new Adam(),
            "rmsprop" => new RMSprop(),
            "sgd" => new SGD(),
            _ => throw new ArgumentException($"Unknown optimizer '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
