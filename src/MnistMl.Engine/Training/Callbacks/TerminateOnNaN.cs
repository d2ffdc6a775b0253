namespace MnistMl.Training;

/// <summary>Stops training as soon as a batch's loss is NaN or infinite (Keras's <c>TerminateOnNaN</c>).</summary>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>The epoch and batch where the loss went bad, if it did.</summary>
    public (int Epoch, int Batch)? TerminatedAt { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin() => TerminatedAt = null;

    /// <inheritdoc/>
    public override void OnBatchEnd(in BatchLogs logs)
    {
        if (!double.IsFinite(logs.BatchLoss))
        {
            TerminatedAt = (logs.Epoch, logs.Batch);
            Model!.StopTraining = true;
        }
    }
}
