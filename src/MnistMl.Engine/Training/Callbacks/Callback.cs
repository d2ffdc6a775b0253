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
}
