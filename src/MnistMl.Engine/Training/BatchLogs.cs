namespace MnistMl.Training;

/// <summary>Where training stands after a batch: running means over the epoch so far.</summary>
/// <param name="Epoch">Epoch index, from 0.</param>
/// <param name="Epochs">Number of epochs asked for.</param>
/// <param name="Batch">Batch index within the epoch, from 0.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="SamplesDone">Samples trained so far in this epoch.</param>
/// <param name="Loss">Mean loss over the samples so far in this epoch.</param>
/// <param name="Accuracy">Accuracy so far in this epoch (NaN when not measured).</param>
/// <param name="BatchLoss">Mean loss of this batch alone.</param>
/// <param name="Elapsed">Time since the epoch began.</param>
public readonly record struct BatchLogs(
    int Epoch, int Epochs, int Batch, int Batches, int SamplesDone, double Loss, double Accuracy, double BatchLoss, TimeSpan Elapsed);
