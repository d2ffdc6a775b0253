namespace MnistMl.Training;

/// <summary>Stops training as soon as a batch's loss is NaN or infinite (Keras's <c>TerminateOnNaN</c>).</summary>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>The epoch and batch where the loss went bad, if it did.</summary>
    public (int Epoch, int Batch)? TerminatedAt { get; private set; }

    /// <summary>The bad batch loss, if there was one.</summary>
    public double? TerminatingLoss { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin() => (TerminatedAt, TerminatingLoss) = (null, null);

    /// <inheritdoc/>
    public override void OnBatchEnd(in BatchLogs logs)
    {
        if (!double.IsFinite(logs.BatchLoss))
        {
            TerminatedAt = (logs.Epoch, logs.Batch);
            TerminatingLoss = logs.BatchLoss;
            Model!.StopTraining = true;
        }
    }

    /// <summary>Throws <see cref="TrainingDivergedException"/> if training was stopped by a bad loss.</summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public void ThrowIfTerminated()
    {
        if (TerminatedAt is var (epoch, batch))
        {
            throw new TrainingDivergedException(epoch, batch, TerminatingLoss!.Value, Model!.Optimizer?.LearningRate ?? double.NaN);
        }
    }
}
