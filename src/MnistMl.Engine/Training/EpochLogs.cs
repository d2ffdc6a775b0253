namespace MnistMl.Training;

/// <summary>The figures of one finished epoch, under Keras's names.</summary>
public sealed class EpochLogs
{
    /// <summary>Epoch index, from 0.</summary>
    public required int Epoch { get; init; }

    /// <summary>Mean training loss over the epoch (with dropout active, as Keras reports it).</summary>
    public required double Loss { get; init; }

    /// <summary>Training accuracy over the epoch, when accuracy is a metric.</summary>
    public double? Accuracy { get; init; }

    /// <summary>Validation loss, when there is validation data.</summary>
    public double? ValLoss { get; init; }

    /// <summary>Validation accuracy, when there is validation data and accuracy is a metric.</summary>
    public double? ValAccuracy { get; init; }

    /// <summary>Wall-clock seconds of the epoch's training (validation excluded).</summary>
    public required double Seconds { get; init; }

    /// <summary>Learning rate at the end of the epoch.</summary>
    public required double LearningRate { get; init; }

    /// <summary>A figure by Keras's key (<c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c>, <c>learning_rate</c>), or null if absent.</summary>
    public double? Get(string key) => key switch
    {
        "loss" => Loss,
        "accuracy" => Accuracy,
        "val_loss" => ValLoss,
        "val_accuracy" => ValAccuracy,
        "learning_rate" or "lr" => LearningRate,
        _ => null,
    };
}
