using MnistMl.Nn;

namespace MnistMl.Training;

/// <summary>
/// Hooks into <c>Fit</c> (Keras's <c>Callback</c>): override what you need. Callbacks run on the
/// training thread between batches, so they may read or change the model.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained; set before <see cref="OnTrainBegin"/>.</summary>
    public Sequential? Model { get; internal set; }

    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainBegin()
    {
    }

    /// <summary>After the last epoch (or an early stop).</summary>
    public virtual void OnTrainEnd(History history)
    {
    }

    /// <summary>Before each epoch.</summary>
    public virtual void OnEpochBegin(int epoch)
    {
    }

    /// <summary>After each epoch, with its figures.</summary>
    public virtual void OnEpochEnd(EpochLogs logs)
    {
    }

    /// <summary>After each training batch.</summary>
    public virtual void OnBatchEnd(in BatchLogs logs)
    {
    }

    /// <summary>Whether <see cref="OnEpochCompleted"/> should be given the training state (capturing it copies the optimizer's arrays).</summary>
    public virtual bool NeedsTrainingState => false;

    /// <summary>
    /// After every callback's <see cref="OnEpochEnd"/>, when <see cref="NeedsTrainingState"/>: the
    /// state to save beside the weights so that the run can be resumed from this epoch.
    /// </summary>
    public virtual void OnEpochCompleted(TrainingState state)
    {
    }

    /// <summary>What this callback must remember across a resume; null when it keeps nothing between epochs.</summary>
    public virtual CallbackState? SaveState() => null;

    /// <summary>Takes back what <see cref="SaveState"/> gave, after <see cref="OnTrainBegin"/>, when a run is resumed.</summary>
    /// <exception cref="ArgumentException">The state is not this callback's.</exception>
    public virtual void RestoreState(CallbackState state) =>
        throw new ArgumentException($"{GetType().Name} keeps no state, yet the resumed run saved some for it.", nameof(state));

    /// <summary>Checks that <paramref name="state"/> was saved by a callback of this type.</summary>
    /// <exception cref="ArgumentException">It was not.</exception>
    internal void CheckType(CallbackState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Type != GetType().Name)
        {
            throw new ArgumentException($"The state saved for a {state.Type} cannot be restored into a {GetType().Name}: the callbacks differ from the run being resumed.", nameof(state));
        }
    }
}
