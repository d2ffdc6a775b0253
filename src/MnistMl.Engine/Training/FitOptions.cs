namespace MnistMl.Training;

/// <summary>Arguments of <c>Fit</c>, with Keras's defaults.</summary>
public sealed class FitOptions
{
    /// <summary>Samples per gradient step. Default 32.</summary>
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>Passes over the training data. Default 1.</summary>
    public int Epochs { get; set; } = Defaults.Epochs;

    /// <summary>
    /// Fraction of the data held out for validation: the LAST samples, taken before any shuffling
    /// (Keras's <c>validation_split</c>). Ignored when <see cref="ValidationData"/> is set.
    /// </summary>
    public double ValidationSplit { get; set; }

    /// <summary>Explicit validation samples.</summary>
    public ISampleSource? ValidationData { get; set; }

    /// <summary>
    /// Random distortions of every training batch (rotation, shift, zoom, shear, elastic), drawn per
    /// sample from the model's seed; null (the default) for none. The model's input must be an
    /// image: (height, width, channels), (height, width), or a square number of pixels.
    /// </summary>
    public ImageAugmentation? Augmentation { get; set; }

    /// <summary>Reshuffle the training samples before each epoch (seeded). Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>
    /// Continue a run from this state, saved after an epoch with the weights the model now holds
    /// (Keras's <c>initial_epoch</c>, made exact): training picks up at the next epoch with the same
    /// optimizer state, shuffling, dropout masks, callback state and history, so the final weights
    /// are bit-identical to those of the run that never stopped. The callbacks must be the same
    /// kinds, in the same order.
    /// </summary>
    public TrainingState? ResumeFrom { get; set; }

    /// <summary>How many of <paramref name="available"/> samples a fit with these options trains on: all but Keras's validation tail.</summary>
    public int TrainingSamples(int available) =>
        ValidationData is null && ValidationSplit > 0 ? (int)(available * (1 - ValidationSplit)) : available;

    /// <summary>Callbacks, called in order.</summary>
    public IList<Callback> Callbacks { get; } = [];

    /// <summary>The defaults, as constants.</summary>
    public static class Defaults
    {
        /// <summary>Keras's default batch size.</summary>
        public const int BatchSize = 32;

        /// <summary>Keras's default epoch count.</summary>
        public const int Epochs = 1;
    }
}
