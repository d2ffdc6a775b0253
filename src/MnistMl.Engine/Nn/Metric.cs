using System.Numerics;

namespace MnistMl.Nn;

/// <summary>A metric reported during training and evaluation beside the loss.</summary>
public sealed class Metric
{
    private Metric(string name)
    {
        Name = name;
    }

    /// <summary>Keras's name, e.g. <c>accuracy</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Fraction of samples whose highest output is the target class: the target's highest entry for
    /// one-hot targets, the target itself for sparse ones.
    /// </summary>
    public static Metric Accuracy { get; } = new("accuracy");

    /// <summary>Looks a metric up by name; unknown names are an error.</summary>
    /// <exception cref="ArgumentException">The name is not a known metric.</exception>
    public static Metric FromName(string name) => name is "accuracy" or "acc"
        ? Accuracy
        : throw new ArgumentException($"Unknown metric '{name}'. Known: accuracy.", nameof(name));

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Counts the samples of the batch whose arg-max output matches the target.</summary>
    internal static int CountCorrect<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int batch, int width, int targetWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var correct = 0;
        for (var b = 0; b < batch; b++)
        {
            var predicted = ArgMax(outputs.Slice(b * width, width));
            var actual = targetWidth == 1 ? int.CreateSaturating(targets[b]) : ArgMax(targets.Slice(b * targetWidth, targetWidth));
            if (predicted == actual)
            {
                correct++;
            }
        }

        return correct;
    }

    /// <summary>Index of the first largest value.</summary>
    internal static int ArgMax<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var best = 0;
        for (var j = 1; j < values.Length; j++)
        {
            if (values[j] > values[best])
            {
                best = j;
            }
        }

        return best;
    }
}
