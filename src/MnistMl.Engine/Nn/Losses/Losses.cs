namespace MnistMl.Nn;

/// <summary>The losses by their Keras names, with default options.</summary>
public static class Losses
{
    /// <summary>Cross-entropy against one-hot targets, on probabilities.</summary>
    public static Loss CategoricalCrossentropy { get; } = new CategoricalCrossentropy();

    /// <summary>Cross-entropy against integer labels, on probabilities.</summary>
    public static Loss SparseCategoricalCrossentropy { get; } = new SparseCategoricalCrossentropy();

    /// <summary>Mean squared error.</summary>
    public static Loss MeanSquaredError { get; } = new MeanSquaredError();

    /// <summary>Mean absolute error.</summary>
    public static Loss MeanAbsoluteError { get; } = new MeanAbsoluteError();

    /// <summary>Looks a loss up by its Keras name; unknown names are an error, never a silent default.</summary>
    /// <exception cref="ArgumentException">The name is not one of the four losses.</exception>
    public static Loss FromName(string name) => name switch
    {
        "categorical_crossentropy" => CategoricalCrossentropy,
        "sparse_categorical_crossentropy" => SparseCategoricalCrossentropy,
        "mean_squared_error" or "mse" => MeanSquaredError,
        "mean_absolute_error" or "mae" => MeanAbsoluteError,
        _ => throw new ArgumentException(
            $"Unknown loss '{name}'. Known: categorical_crossentropy, sparse_categorical_crossentropy, mean_squared_error, mean_absolute_error.", nameof(name)),
    };
}
