namespace MnistMl.Training;

/// <summary>
/// Everything <c>Fit</c> needs, beside the weights, to continue a run after
/// <see cref="CompletedEpochs"/> epochs exactly as if it had never stopped: the optimizer's state,
/// the shuffling generator, the dropout counters, the callbacks' state and the history. With the
/// weights saved at the same moment, a resumed run ends with weights bit-identical to an
/// uninterrupted one (<see cref="FitOptions.ResumeFrom"/>).
/// </summary>
public sealed class TrainingState
{
    /// <summary>Epochs finished.</summary>
    public required int CompletedEpochs { get; init; }

    /// <summary>Samples per step of the run: a resumed run must use the same.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The run's validation split: a resumed run must use the same.</summary>
    public required double ValidationSplit { get; init; }

    /// <summary>Whether the run shuffled: a resumed run must do the same.</summary>
    public required bool Shuffle { get; init; }

    /// <summary>Whether a callback stopped the run (early stopping): a resumed run then trains no more.</summary>
    public required bool Stopped { get; init; }

    /// <summary>The figures of the finished epochs.</summary>
    public required IReadOnlyList<EpochLogs> History { get; init; }

    /// <summary>Keras's name of the optimizer, e.g. <c>adam</c>.</summary>
    public required string OptimizerName { get; init; }

    /// <summary>Update steps taken.</summary>
    public required long OptimizerIterations { get; init; }

    /// <summary>The learning rate in force (callbacks may have changed it).</summary>
    public required double LearningRate { get; init; }

    /// <summary>The optimizer's per-weight arrays: for each trainable weight in order, each of its slots (Adam: m, v).</summary>
    public required IReadOnlyList<float[]> OptimizerSlots { get; init; }

    /// <summary>The shuffling generator's four state words.</summary>
    public required IReadOnlyList<ulong> ShuffleState { get; init; }

    /// <summary>Each dropout layer's step counter, in layer order.</summary>
    public required IReadOnlyList<ulong> DropoutSteps { get; init; }

    /// <summary>The run's augmentation, null for none: a resumed run must use the same.</summary>
    public ImageAugmentation? Augmentation { get; init; }

    /// <summary>The state of each callback that keeps one, in the order of <see cref="FitOptions.Callbacks"/>.</summary>
    public required IReadOnlyList<CallbackState?> Callbacks { get; init; }
}
