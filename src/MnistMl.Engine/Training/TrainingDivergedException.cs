using System.Globalization;

namespace MnistMl.Training;

/// <summary>
/// The training loss became NaN or infinite, so the weights are no longer numbers a model can use
/// (usually a learning rate far too large). No checkpoint is written from the diverged epoch on.
/// </summary>
public sealed class TrainingDivergedException : MnistMlException
{
    /// <summary>Creates the exception for the batch where the loss went bad.</summary>
    /// <param name="epoch">Epoch index, from 0.</param>
    /// <param name="batch">Batch index within the epoch, from 0.</param>
    /// <param name="loss">The batch's loss.</param>
    /// <param name="learningRate">The optimizer's learning rate.</param>
    public TrainingDivergedException(int epoch, int batch, double loss, double learningRate)
        : base(string.Create(CultureInfo.InvariantCulture, $"the loss became {loss} in epoch {epoch + 1}, batch {batch + 1}: training diverged, the weights are no longer usable, and no model is kept from that epoch on. Lower the learning rate (it was {learningRate:G})."))
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>Epoch index, from 0.</summary>
    public int Epoch { get; }

    /// <summary>Batch index within the epoch, from 0.</summary>
    public int Batch { get; }

    /// <summary>The batch's loss: NaN or infinite.</summary>
    public double Loss { get; }

    /// <summary>The optimizer's learning rate when it happened.</summary>
    public double LearningRate { get; }
}
