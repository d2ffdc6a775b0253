using MnistMl.Training;

namespace MnistMl.Nn;

public sealed partial class Sequential
{
    /// <summary>The state after <paramref name="completedEpochs"/> epochs: what a resumed <c>Fit</c> needs beside the weights.</summary>
    private TrainingState CaptureTrainingState(int completedEpochs, FitOptions options, History history, Optimizer optimizer) => new()
    {
        CompletedEpochs = completedEpochs,
        BatchSize = options.BatchSize,
        ValidationSplit = options.ValidationSplit,
        Shuffle = options.Shuffle,
        Augmentation = ActiveAugmentation(options),
        Stopped = StopTraining,
        History = [.. history.Epochs],
        OptimizerName = optimizer.Name,
        OptimizerIterations = optimizer.Iterations,
        LearningRate = optimizer.LearningRate,
        OptimizerSlots = optimizer.CopySlots(Network.Parameters),
        ShuffleState = _shuffle.GetState(),
        DropoutSteps = [.. Network.AllOps.OfType<DropoutOp<float>>().Select(op => op.Step)],
        Callbacks = [.. options.Callbacks.Select(c => c.SaveState()).OfType<CallbackState>()],
    };

    /// <summary>
    /// Checks that <paramref name="state"/> fits this compiled model's own parts — its optimizer and
    /// the optimizer's arrays, its dropout layers — whatever a later <c>Fit</c> asks for. A model
    /// file holding a state that fails this is damaged.
    /// </summary>
    /// <exception cref="ArgumentException">It does not fit, with the reason.</exception>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    internal void CheckTrainingState(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var optimizer = Optimizer ?? throw new InvalidOperationException("Only a compiled model has an optimizer to resume.");
        if (state.OptimizerName != optimizer.Name)
        {
            throw new ArgumentException($"The run to resume used {state.OptimizerName}; this model is compiled with {optimizer.Name}.", nameof(state));
        }

        optimizer.CheckState(Network.Parameters, state.OptimizerSlots, state.OptimizerIterations);
        var dropouts = Network.AllOps.OfType<DropoutOp<float>>().Count();
        if (state.DropoutSteps.Count != dropouts)
        {
            throw new ArgumentException($"The run to resume had {state.DropoutSteps.Count} dropout layers; this model has {dropouts}.", nameof(state));
        }
    }

    /// <summary>The augmentation a fit with <paramref name="options"/> applies: null when none is asked for.</summary>
    private static ImageAugmentation? ActiveAugmentation(FitOptions options) => options.Augmentation is { IsActive: true } augmentation ? augmentation : null;

    /// <summary>Puts the run back where <paramref name="state"/> was taken; returns the epoch to train next. Everything is checked before anything changes.</summary>
    /// <exception cref="ArgumentException">The state does not fit this model, its optimizer, these options or these callbacks.</exception>
    private int Resume(TrainingState state, FitOptions options, Optimizer optimizer, History history)
    {
        if (state.CompletedEpochs < 0 || state.CompletedEpochs > options.Epochs || state.History.Count != state.CompletedEpochs)
        {
            throw new ArgumentException($"The run to resume finished {state.CompletedEpochs} epochs with {state.History.Count} in its history; this Fit asks for {options.Epochs}.", nameof(options));
        }

        if ((state.BatchSize, state.ValidationSplit, state.Shuffle) != (options.BatchSize, options.ValidationSplit, options.Shuffle))
        {
            throw new ArgumentException(
                $"The run to resume used batch size {state.BatchSize}, validation split {state.ValidationSplit} and shuffle {state.Shuffle}; this Fit asks for {options.BatchSize}, {options.ValidationSplit} and {options.Shuffle}.", nameof(options));
        }

        if (state.Augmentation != ActiveAugmentation(options))
        {
            throw new ArgumentException(
                $"The run to resume was trained with augmentation {state.Augmentation?.ToString() ?? "none"}; this Fit asks for {ActiveAugmentation(options)?.ToString() ?? "none"}.", nameof(options));
        }

        CheckTrainingState(state);
        var dropouts = Network.AllOps.OfType<DropoutOp<float>>().ToArray();

        // Only callbacks that keep state count: progress printers may come and go between runs.
        var callbacks = options.Callbacks.Where(c => c.SaveState() is not null).ToList();
        if (state.Callbacks.Count != callbacks.Count)
        {
            throw new ArgumentException(
                $"The run to resume had {state.Callbacks.Count} callbacks that keep state ({string.Join(", ", state.Callbacks.Select(c => c?.Type))}); this Fit has {callbacks.Count}.", nameof(options));
        }

        for (var i = 0; i < callbacks.Count; i++)
        {
            callbacks[i].CheckType(state.Callbacks[i] ?? throw new ArgumentException($"The saved state of callback {i} is missing.", nameof(options)));
        }

        optimizer.RestoreState(Network.Parameters, state.OptimizerSlots, state.OptimizerIterations, state.LearningRate);
        _shuffle.SetState(state.ShuffleState);
        for (var i = 0; i < dropouts.Length; i++)
        {
            dropouts[i].Step = state.DropoutSteps[i];
        }

        for (var i = 0; i < callbacks.Count; i++)
        {
            callbacks[i].RestoreState(state.Callbacks[i]!);
        }

        foreach (var epoch in state.History)
        {
            history.Add(epoch);
        }

        StopTraining = state.Stopped;
        return state.CompletedEpochs;
    }
}
